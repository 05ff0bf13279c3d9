"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { authClient } from "./auth-client";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        // A full load: the layout and the page both render for the new session.
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
