import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

/*
 * Server actions as the built app knows them: Next's manifest names every action's id with the
 * file and export it comes from, so a spec can call any of them over HTTP without the UI, the way
 * a hand-made request (or an attacker) would.
 */

const root = path.resolve(import.meta.dirname, "..");

export interface ServerAction {
  id: string;
  /** `app/.../actions.ts#exportName` */
  key: string;
  /** A page that uses it, as a route pattern (`/integrations/[integrationId]`). */
  page: string;
}

export function serverActions(): ServerAction[] {
  const file = path.join(root, ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as {
    node: Record<
      string,
      { filename: string; exportedName: string; workers: Record<string, unknown> }
    >;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    // A real page that uses it (an action of the layout is in every page, Next's own ones too).
    const worker =
      Object.keys(entry.workers).find((w) => w.endsWith("/page") && !w.startsWith("app/_")) ??
      "app/page";
    const page = worker.slice("app".length, -"/page".length) || "/";
    return { id, key: `${entry.filename}#${entry.exportedName}`, page };
  });
}

export function serverAction(key: string): ServerAction {
  const found = serverActions().find((a) => a.key === key);
  if (!found) throw new Error(`no server action ${key} in the build`);
  return found;
}

/** The app's pages and route handlers, from the build's manifest (`/integrations/[integrationId]`). */
export function appPaths(): { pages: string[]; routes: string[] } {
  const file = path.join(root, ".next/server/app-paths-manifest.json");
  const keys = Object.keys(JSON.parse(readFileSync(file, "utf8")) as Record<string, string>);
  const pages = keys
    .filter((k) => k.endsWith("/page") && !k.startsWith("/_"))
    .map((k) => k.slice(0, -"/page".length) || "/");
  const routes = keys
    .filter((k) => k.endsWith("/route") && !k.startsWith("/_") && !k.endsWith(".svg/route"))
    .map((k) => k.slice(0, -"/route".length));
  return { pages, routes };
}

/** Posts a server action as Next's client does (same origin), with the given arguments. */
export function callAction(
  request: APIRequestContext,
  baseURL: string,
  action: ServerAction,
  args: unknown[],
  options: { origin?: string; page?: string } = {},
) {
  // An action is posted to a page that uses it, as the browser does.
  return request.post(options.page ?? action.page, {
    headers: {
      "next-action": action.id,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: options.origin ?? new URL(baseURL).origin,
    },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
}
