"use client";

import { useState } from "react";
import { JsonDiffEditor } from "@/components/editor";
import { Button } from "@/components/ui/button";

/** The configuration that ran beside the one published now, in a read-only Monaco diff. */
export function VersionDiff({ ran, latest }: { ran: string; latest: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <Button size="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? "Hide the diff" : "Diff against the published version"}
      </Button>
      {open ? (
        <div className="mt-3">
          <JsonDiffEditor
            original={ran}
            modified={latest}
            height={420}
            ariaLabel="Configuration diff"
          />
        </div>
      ) : null}
    </div>
  );
}
