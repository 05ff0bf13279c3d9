import { randomBytes } from "node:crypto";
import { sessionCookie } from "../../e2e/accounts";
import { appPaths, serverActions } from "../../e2e/server-actions";
import { withDeadline } from "../deadline";
import type { ProofContext, Target } from "./context";
import { send } from "./http";

const COOKIE = "mms.session_token";
const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";
/** Pages anyone may see: where a signed-out person signs in. */
const PUBLIC_PAGES = new Set(["/sign-in"]);

/** The session cookie a sign-in answer sets, as a Cookie header. */
function cookieOf(response: Response): string {
  const { name, value } = sessionCookie(response);
  return `${name}=${value}`;
}

async function authCall(target: Target, path: string, body: unknown, cookie?: string) {
  const origin = target.server.baseUrl;
  return fetch(new URL(path, origin), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: new URL(origin).origin,
      // Its own address: the sign-in limit (10 a minute per address) is not what this tests.
      "x-forwarded-for": `198.51.100.${target.label === "PGlite" ? 1 : 2}`,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

/**
 * The consultant's sessions: `valid` (one-time password changed), `signedOut` (a second session,
 * signed out), and a forged cookie in the library's format with a random token and signature.
 */
async function sessionsOf(target: Target) {
  const { email, oneTimePassword } = target.world.account;
  const password = `proof-${randomBytes(12).toString("base64url")}`;
  const first = await authCall(target, "/api/auth/sign-in/email", {
    email,
    password: oneTimePassword,
  });
  if (!first.ok) throw new Error(`sign-in failed on ${target.label}: ${first.status}`);
  const valid = cookieOf(first);
  const change = await authCall(
    target,
    "/api/auth/change-password",
    { currentPassword: oneTimePassword, newPassword: password },
    valid,
  );
  if (!change.ok) throw new Error(`password change failed on ${target.label}: ${change.status}`);
  const second = await authCall(target, "/api/auth/sign-in/email", { email, password });
  if (!second.ok) throw new Error(`second sign-in failed on ${target.label}: ${second.status}`);
  const signedOut = cookieOf(second);
  const out = await authCall(target, "/api/auth/sign-out", {}, signedOut);
  if (!out.ok) throw new Error(`sign-out failed on ${target.label}: ${out.status}`);
  const forged = `${COOKIE}=${randomBytes(24).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
  return { valid, signedOut, forged };
}

/** A page's path with every dynamic segment filled in (the guard runs before any lookup). */
const concrete = (page: string) => page.replace(/\[[^\]]+\]/g, PLACEHOLDER_ID);

/**
 * Every server action and every page of the build (from its manifests, as the e2e authorization
 * spec reads them), with no session cookie, a forged one and a signed-out one: any 2xx is a
 * bypass. A valid session is the control: it shows the requests reach what they are meant to.
 */
export async function sessionPart(ctx: ProofContext, targets: Target[]) {
  const actions = serverActions();
  const { pages } = appPaths();
  const kinds = ["no cookie", "forged cookie", "signed-out session", "valid session (control)"];
  const rows: string[] = [];
  let bypasses = 0;
  let checked = 0;
  for (const target of targets) {
    const s = await sessionsOf(target);
    const cookies = [null, s.forged, s.signedOut, s.valid];
    const origin = new URL(target.server.baseUrl).origin;
    const tally = (what: string, statuses: number[], open = false) => {
      if (open) return statuses;
      statuses.slice(0, 3).forEach((status, i) => {
        checked++;
        if (status >= 200 && status < 300) {
          bypasses++;
          ctx.findings.add(`session:${target.label}:${what}:${kinds[i]}`, {
            part: `sessions on ${target.label}`,
            kind: "auth bypass",
            summary: `${what} answered ${status} with ${kinds[i]}`,
            reproducer: `${what} with ${kinds[i]}`,
          });
        }
      });
      return statuses;
    };
    const actionStatuses = new Map<string, number[]>();
    for (const action of actions) {
      const statuses: number[] = [];
      for (const cookie of cookies) {
        const answer = await send(
          target.server.baseUrl,
          {
            method: "POST",
            path: concrete(action.page),
            headers: {
              "next-action": action.id,
              "content-type": "text/plain;charset=UTF-8",
              accept: "text/x-component",
              origin,
              ...(cookie ? { cookie } : {}),
            },
            body: "[]",
          },
          15_000,
        );
        statuses.push(answer.status);
      }
      actionStatuses.set(action.key, tally(`action ${action.key}`, statuses));
    }
    const pageStatuses = new Map<string, number[]>();
    for (const page of pages) {
      const statuses: number[] = [];
      for (const cookie of cookies) {
        const res = await fetch(new URL(concrete(page), target.server.baseUrl), {
          headers: cookie ? { cookie } : {},
          redirect: "manual",
          signal: AbortSignal.timeout(15_000),
        }).catch(() => null);
        if (res) await withDeadline(res.arrayBuffer(), 15_000, "the page").catch(() => null);
        statuses.push(res?.status ?? 0);
      }
      pageStatuses.set(page, tally(`page ${page}`, statuses, PUBLIC_PAGES.has(page)));
    }
    const summary = (statuses: Map<string, number[]>) =>
      kinds.map((_, i) => {
        const counts = new Map<number, number>();
        for (const list of statuses.values())
          counts.set(list[i] as number, (counts.get(list[i] as number) ?? 0) + 1);
        return [...counts].map(([status, n]) => `${n}× ${status}`).join(", ");
      });
    rows.push(
      `| ${target.label} | ${actions.length} server actions | ${summary(actionStatuses).join(" | ")} |`,
    );
    rows.push(
      `| ${target.label} | ${pages.length} pages (${PUBLIC_PAGES.size} public: ${[...PUBLIC_PAGES].join(", ")}) | ${summary(pageStatuses).join(" | ")} |`,
    );
  }
  ctx.figures.auth_bypasses += bypasses;
  ctx.log(`  sessions: ${bypasses} bypasses in ${checked} requests without a valid session`);
  ctx.sections.push({
    title: "Sessions",
    method:
      "Every server action and every page of the build, listed from its manifests (dynamic " +
      "segments filled with a made-up id), on both servers: with no session cookie, with a " +
      "forged cookie (random token and signature in the library's format), and with the cookie " +
      "of a session that signed out. Any 2xx is a bypass. A consultant's valid session is the " +
      "control column: its 2xx show the requests reach the actions and pages (some refuse their " +
      "empty arguments with 4xx, and pages of made-up ids answer 404). Which role may call which " +
      "action is checked by `e2e/authorization.spec.ts`, action by action.",
    results: [`| server | what | ${kinds.join(" | ")} |`, "|---|---|---|---|---|---|", ...rows],
  });
}
