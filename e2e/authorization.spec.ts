import { expect, request as playwrightRequest, test } from "@playwright/test";
import { ROLES, type Role, stateOf } from "./accounts";
import { appPaths, callAction, serverActions } from "./server-actions";

/*
 * One table, the issue's: what each role may do. Every server action and route handler of the
 * build is called with no session and with each role's session, and must answer as the table
 * says. A new action or route that is not in the tables below fails this test until it is.
 */

type Permission = "view" | "author" | "administer";
const GRANTS: Record<Role, Permission[]> = {
  admin: ["view", "author", "administer"],
  consultant: ["view", "author"],
  support: ["view"],
};

const studio = "app/integrations/[integrationId]/use-cases/[slug]/actions.ts";
const integration = "app/integrations/[integrationId]/actions.ts";
const ACTIONS: Record<string, Permission> = {
  "app/integrations/actions.ts#createIntegrationAction": "administer",
  "app/integrations/actions.ts#renameIntegrationAction": "author",
  [`${integration}#createUseCaseAction`]: "author",
  [`${integration}#updateUseCaseAction`]: "author",
  [`${integration}#createApiKeyAction`]: "administer",
  [`${integration}#revokeApiKeyAction`]: "administer",
  [`${integration}#createVariableAction`]: "administer",
  [`${integration}#updateVariableAction`]: "administer",
  [`${integration}#deleteVariableAction`]: "administer",
  [`${studio}#previewAction`]: "view",
  [`${studio}#storedReadingAction`]: "view",
  [`${studio}#storedEntityAction`]: "view",
  [`${studio}#loadSampleAction`]: "view",
  [`${studio}#saveDraftAction`]: "author",
  [`${studio}#publishAction`]: "author",
  [`${studio}#restoreVersionAction`]: "author",
  [`${studio}#createSampleAction`]: "author",
  [`${studio}#renameSampleAction`]: "author",
  [`${studio}#saveSampleAction`]: "author",
  [`${studio}#deleteSampleAction`]: "author",
  [`${studio}#planApplyAction`]: "author",
  [`${studio}#applyAction`]: "author",
  "app/imports/[id]/replay/actions.ts#applyReplayAction": "author",
  "app/imports/[id]/replay/actions.ts#replayStoredReadingAction": "view",
  "app/imports/[id]/replay/actions.ts#replayStoredEntityAction": "view",
  "app/imports/[id]/undo/actions.ts#undoImportAction": "author",
  "app/imports/[id]/actions.ts#supportStoredReadingAction": "view",
  "app/imports/[id]/actions.ts#supportStoredEntityAction": "view",
  "app/entities/deleted/actions.ts#restoreEntityAction": "author",
  "app/meters/actions.ts#searchMetersAction": "view",
  "app/meters/actions.ts#meterReadingsAction": "view",
  "app/users/actions.ts#createUserAction": "administer",
  "app/users/actions.ts#setUserRoleAction": "administer",
  "app/users/actions.ts#deactivateUserAction": "administer",
  "app/users/actions.ts#reactivateUserAction": "administer",
  "app/users/actions.ts#resetPasswordAction": "administer",
};

/**
 * Route handlers: the request to send and the status every caller gets. The ERP routes take API
 * keys, not sessions; the app's own downloads take a session (signed out, the proxy sends the
 * browser to sign-in: 307), and any role may read them (404: no such event).
 */
const NO_EVENT = "00000000-0000-4000-8000-000000000000";
type Expected = number | Record<Caller, number>;
const download = { "no session": 307, admin: 404, consultant: 404, support: 404 };
const ROUTES: Record<string, { method: "GET" | "POST"; path: string; status: Expected }> = {
  "/imports/[id]/payload": {
    method: "GET",
    path: `/imports/${NO_EVENT}/payload`,
    status: download,
  },
  "/imports/[id]/plan": { method: "GET", path: `/imports/${NO_EVENT}/plan`, status: download },
  "/api/v1/openapi.json": { method: "GET", path: "/api/v1/openapi.json", status: 200 },
  "/api/v1/erp/updates/events": { method: "POST", path: "/api/v1/erp/updates/events", status: 401 },
  "/api/v1/erp/updates/mapping_simulation": {
    method: "POST",
    path: "/api/v1/erp/updates/mapping_simulation",
    status: 401,
  },
  "/api/v1/use-cases/[slug]/dry-run": {
    method: "POST",
    path: "/api/v1/use-cases/meter-readings/dry-run",
    status: 401,
  },
  "/api/v1/internal/metrics": { method: "GET", path: "/api/v1/internal/metrics", status: 404 },
  "/api/[...path]": { method: "GET", path: "/api/v1/no-such-route", status: 404 },
  "/api/auth/[...all]": { method: "GET", path: "/api/auth/get-session", status: 200 },
};

const callers = ["no session", ...ROLES] as const;
type Caller = (typeof callers)[number];

/** The demo integration's id, for pages with an [integrationId]. */
async function demoIntegrationId(baseURL: string): Promise<string> {
  const admin = await contextFor("admin", baseURL);
  const html = await (await admin.get("/integrations")).text();
  await admin.dispose();
  const id = html.match(/href="\/integrations\/([0-9a-f-]{36})"/)?.[1];
  if (!id) throw new Error("the demo integration is not listed");
  return id;
}

test("every server action answers as the role table says", async ({ baseURL }) => {
  const integrationId = await demoIntegrationId(baseURL as string);
  const pageOf = (pattern: string) =>
    pattern
      .replace("[integrationId]", integrationId)
      .replace("[slug]", "meter-readings")
      .replace(/\[[^\]]+\]/g, "x");
  const actions = serverActions();
  const unknown = actions.filter((a) => !(a.key in ACTIONS)).map((a) => a.key);
  expect(unknown, "actions missing from the table").toEqual([]);
  for (const caller of callers) {
    const context = await contextFor(caller, baseURL as string);
    for (const action of actions) {
      const permission = ACTIONS[action.key] as Permission;
      const expected =
        caller === "no session" ? 401 : GRANTS[caller].includes(permission) ? 200 : 403;
      // No arguments: an allowed caller gets the action's own "malformed" answer, never a write.
      const response = await callAction(context, baseURL as string, action, [], {
        page: pageOf(action.page),
      });
      expect.soft(response.status(), `${caller} → ${action.key}`).toBe(expected);
    }
    await context.dispose();
  }
});

test("every route handler answers as the table says, whoever calls", async ({ baseURL }) => {
  const { routes } = appPaths();
  expect(
    routes.filter((r) => !(r in ROUTES)),
    "routes missing from the table",
  ).toEqual([]);
  for (const caller of callers) {
    const context = await contextFor(caller, baseURL as string);
    for (const route of routes) {
      const { method, path, status } = ROUTES[route] as (typeof ROUTES)[string];
      const response = await context.fetch(path, {
        method,
        data: method === "POST" ? {} : undefined,
        maxRedirects: 0,
      });
      const expected = typeof status === "number" ? status : status[caller];
      expect.soft(response.status(), `${caller} → ${method} ${path}`).toBe(expected);
    }
    await context.dispose();
  }
});

test("a cross-site server action is refused with 403 in the error envelope", async ({
  baseURL,
}) => {
  const context = await contextFor("admin", baseURL as string);
  const [publish] = serverActions().filter((a) => a.key === `${studio}#publishAction`);
  const response = await callAction(context, baseURL as string, publish as never, [], {
    origin: "https://attacker.example",
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({
    status: "error",
    error: { code: "FORBIDDEN" },
  });
  await context.dispose();
});

function contextFor(caller: Caller, baseURL: string) {
  return playwrightRequest.newContext({
    baseURL,
    storageState: caller === "no session" ? { cookies: [], origins: [] } : stateOf(caller),
  });
}
