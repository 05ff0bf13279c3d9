import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * The e2e run's accounts: one per role, made with `mms user create` before the server starts
 * (as an operator would), then signed in once and given their own password. Each role's signed-in
 * browser state is a file the specs load with `test.use({ storageState })`.
 */

export const ROLES = ["admin", "consultant", "support"] as const;
export type Role = (typeof ROLES)[number];

const root = path.resolve(import.meta.dirname, "..");
export const AUTH_DIR = path.join(root, ".e2e-auth");

export const emailOf = (role: Role) => `${role}@e2e.test`;
/** The password each account chooses after its one-time one (global setup changes it). */
export const passwordOf = (role: Role) => `e2e ${role} password, long enough`;
export const stateOf = (role: Role) => path.join(AUTH_DIR, `${role}.json`);

/** Creates the accounts on the database the server will use; returns the one-time passwords. */
export function createAccounts(env: NodeJS.ProcessEnv): Record<Role, string> {
  const passwords = {} as Record<Role, string>;
  for (const role of ROLES) {
    const out = execFileSync(
      process.execPath,
      [path.join(root, "bin/mms.js"), "user", "create", "--email", emailOf(role), "--role", role],
      { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    passwords[role] = (JSON.parse(out) as { one_time_password: string }).one_time_password;
  }
  return passwords;
}

/**
 * Signs each account in with its one-time password over HTTP, sets its own password and saves
 * the session cookie as Playwright storage state. Each sign-in comes from an address of its own,
 * so the sign-in limit (10 a minute per address) is left to the specs.
 */
export async function signInAccounts(baseURL: string, oneTime: Record<Role, string>) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const url = new URL(baseURL);
  for (const [index, role] of ROLES.entries()) {
    const headers = {
      "content-type": "application/json",
      origin: url.origin,
      "x-forwarded-for": `192.0.2.${index + 1}`,
    };
    const signIn = await fetch(`${url.origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: emailOf(role), password: oneTime[role] }),
    });
    if (!signIn.ok)
      throw new Error(`sign-in of ${role} failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = sessionCookie(signIn);
    const change = await fetch(`${url.origin}/api/auth/change-password`, {
      method: "POST",
      headers: { ...headers, cookie: `${cookie.name}=${cookie.value}` },
      body: JSON.stringify({ currentPassword: oneTime[role], newPassword: passwordOf(role) }),
    });
    if (!change.ok) throw new Error(`password change of ${role} failed: ${change.status}`);
    const state = {
      cookies: [
        {
          name: cookie.name,
          value: cookie.value,
          domain: url.hostname,
          path: "/",
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: "Lax",
        },
      ],
      origins: [],
    };
    writeFileSync(stateOf(role), JSON.stringify(state));
  }
}

/** The session cookie a sign-in set (plain or `__Secure-` named); throws when there is none. */
export function sessionCookie(response: Response): { name: string; value: string } {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair && at > 0 && pair.slice(0, at).endsWith("mms.session_token")) {
      return { name: pair.slice(0, at), value: pair.slice(at + 1) };
    }
  }
  throw new Error("the sign-in set no session cookie");
}
