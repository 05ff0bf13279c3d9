"use client";

import { createAuthClient } from "better-auth/client";

/** The browser side of Better Auth: sign-in, sign-out and password change, on this origin. */
export const authClient = createAuthClient({ basePath: "/api/auth" });
