import { randomBytes } from "node:crypto";
import { READINGS_CONFIG } from "./arbitraries/configs";
import { smallPayload } from "./arbitraries/payloads";
import type { ProofContext, Target } from "./context";
import { type HttpRequest, send } from "./http";
import { dryRun, EVENTS, OPENAPI, SIMULATION } from "./routes";
import { SLUG } from "./world";

interface Route {
  name: string;
  request: (target: Target, authorization: string | null) => HttpRequest;
  /** Whether a key of another integration must be refused (the route names this one's data). */
  ownData: boolean;
  /** Public by design: a 2xx without a key is not a bypass. */
  public?: string;
}

const auth = (a: string | null): Record<string, string> => (a === null ? {} : { authorization: a });

const json = (path: string, authorization: string | null, body: unknown): HttpRequest => ({
  method: "POST",
  path,
  headers: {
    "content-type": "application/json",
    ...auth(authorization),
  },
  body: JSON.stringify(body),
});

const ROUTES: Route[] = [
  {
    name: "POST /api/v1/erp/updates/events",
    ownData: true,
    request: (t, a) =>
      json(EVENTS, a, {
        integration_id: t.world.integrationId,
        events: [
          {
            timestamp: "2024-06-01T10:00:00Z",
            format: "json",
            use_case_slug: SLUG,
            payload: { readings: [] },
          },
        ],
      }),
  },
  {
    name: "POST /api/v1/erp/updates/mapping_simulation",
    ownData: false,
    request: (_, a) =>
      json(SIMULATION, a, {
        event_configuration: READINGS_CONFIG,
        format: "json",
        payload: smallPayload(),
      }),
  },
  {
    name: `POST /api/v1/use-cases/${SLUG}/dry-run`,
    ownData: true,
    request: (_, a) => json(dryRun(SLUG), a, { payload: smallPayload() }),
  },
  {
    name: "GET /api/v1/internal/metrics",
    ownData: false,
    request: (_, a) => ({ method: "GET", path: "/api/v1/internal/metrics", headers: auth(a) }),
  },
  {
    name: "GET /api/v1/openapi.json",
    ownData: false,
    public: "the API's description, public by design: it holds no data",
    request: (_, a) => ({ method: "GET", path: OPENAPI, headers: auth(a) }),
  },
];

function variants(
  target: Target,
): { name: string; authorization: string | null; otherIntegration?: boolean }[] {
  return [
    { name: "no key", authorization: null },
    {
      name: "not a bearer key",
      authorization: `Basic ${Buffer.from(`x:${target.world.apiKey}`).toString("base64")}`,
    },
    { name: "empty bearer", authorization: "Bearer " },
    { name: "wrong key", authorization: `Bearer mms_${randomBytes(24).toString("base64url")}` },
    {
      name: "key with a character changed",
      authorization: `Bearer ${target.world.apiKey.slice(0, -1)}${target.world.apiKey.endsWith("A") ? "B" : "A"}`,
    },
    { name: "revoked key", authorization: `Bearer ${target.world.revokedKey}` },
    {
      name: "another integration's key",
      authorization: `Bearer ${target.world.otherKey}`,
      otherIntegration: true,
    },
  ];
}

/**
 * Every API route with every kind of bad key, on both servers: any 2xx on a route that needs a
 * key is a bypass; so is a 2xx with another integration's key on a route that names this
 * integration's data (its events, its use case's dry run). The simulation reads no data, so any
 * valid key may use it.
 */
export async function authPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const rows: string[] = [];
  let bypasses = 0;
  for (const target of targets) {
    for (const route of ROUTES) {
      const cells: string[] = [];
      for (const v of variants(target)) {
        const answer = await send(
          target.server.baseUrl,
          route.request(target, v.authorization),
          15_000,
        );
        const success = answer.status >= 200 && answer.status < 300;
        const applies = !route.public && (!v.otherIntegration || route.ownData);
        if (success && applies) {
          bypasses++;
          ctx.findings.add(`auth:${target.label}:${route.name}:${v.name}`, {
            part: `auth on ${target.label}`,
            kind: "auth bypass",
            summary: `${route.name} answered ${answer.status} with ${v.name}`,
            reproducer: `${route.name} with ${v.name} (Authorization: ${v.authorization === null ? "none" : v.authorization.slice(0, 20)}…)`,
          });
        }
        cells.push(`${answer.status || answer.error}${success && !applies ? " (allowed)" : ""}`);
      }
      rows.push(`| ${target.label} | ${route.name} | ${cells.join(" | ")} |`);
    }
  }
  ctx.figures.auth_bypasses += bypasses;
  ctx.log(`  ${bypasses} bypasses over ${targets.length * ROUTES.length} routes x 7 kinds of key`);
  ctx.sections.push({
    title: "Authentication",
    method:
      "Each API route on both servers with no Authorization header, a Basic header, an empty " +
      "bearer, a random key, the real key with one character changed, a key revoked through the " +
      "studio's service (`revokeStudioApiKey`) before the server started, and the key of another " +
      "integration. Any 2xx is a bypass, except: the OpenAPI document is public by design (it " +
      "holds no data), and another integration's key may run a mapping simulation (it reads no " +
      "data); it must not post this integration's events or dry-run its use case. The metrics " +
      "route must be absent (404: the proof's servers run without MMS_METRICS).",
    results: [
      `| server | route | ${variants(targets[0] as Target)
        .map((v) => v.name)
        .join(" | ")} |`,
      `|---|---|${variants(targets[0] as Target)
        .map(() => "---")
        .join("|")}|`,
      ...rows,
    ],
  });
}
