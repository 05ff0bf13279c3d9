import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { DAILY_BATCH, DAILY_BATCH_SUMMARY } from "./demo-samples";
import { type RunningServer, startServer, stopServer } from "./e2e-server";

/*
 * The built server on a Postgres server runs the big-body routes (events, dry runs) on its import
 * thread, a worker bundled by Turbopack: only a real `next start` shows that this thread starts,
 * reaches the database and answers like the routes do on the embedded database.
 */

const serverUrl = process.env.TEST_DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

test.describe("the ERP API on a Postgres server", () => {
  test.skip(
    !serverUrl && process.env.REQUIRE_POSTGRES !== "1",
    "set TEST_DATABASE_URL to run it against a Postgres server",
  );

  const database = `mms_e2e_${randomBytes(4).toString("hex")}`;
  let server: RunningServer | undefined;
  let base = "";
  let key = "";
  let integrationId = "";

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    if (!serverUrl) throw new Error("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const port = await freePort();
    server = await startServer(port, { databaseUrl: url.toString() });
    base = `http://localhost:${port}`;
    // The demo seed prints its integration and, in a framed block, its API key once, at the
    // first start.
    const log = readFileSync(server.logPath, "utf8");
    key = /^│\s+(mms_\S+)$/m.exec(log)?.[1] ?? "";
    integrationId = /seeded demo integration "[^"]*" \(id ([0-9a-f-]+)\)/.exec(log)?.[1] ?? "";
    expect(key, log).not.toBe("");
    expect(integrationId, log).not.toBe("");
  });

  test.afterAll(async () => {
    if (server) await stopServer(server);
    if (!serverUrl) return;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });

  test("dry runs and events answer from the import thread as on the embedded database", async () => {
    const dryRun = await post(
      "/api/v1/use-cases/meter-readings/dry-run",
      JSON.stringify({ payload: DAILY_BATCH }),
    );
    expect(dryRun.status).toBe(200);
    expect(dryRun.headers.get("content-type")).toContain("application/json");
    const { plan } = (await dryRun.json()) as { plan: { summary: unknown } };
    expect(plan.summary).toEqual(DAILY_BATCH_SUMMARY);

    const events = JSON.stringify({
      integration_id: integrationId,
      correlation_id: "e2e",
      events: [
        {
          timestamp: "2024-01-16T09:00:00Z",
          format: "json",
          use_case_slug: "meter-readings",
          payload: DAILY_BATCH,
        },
      ],
    });
    const first = await post("/api/v1/erp/updates/events", events);
    expect(first.status).toBe(200);
    const answer = (await first.json()) as {
      correlation_id: string;
      results: { status: string; summary: unknown; import_id: string }[];
    };
    expect(answer.correlation_id).toBe("e2e");
    expect(answer.results[0]).toMatchObject({ status: "success", summary: DAILY_BATCH_SUMMARY });
    expect(answer.results[0]?.import_id).toMatch(/^[0-9a-f-]{36}$/);

    // The same payload again: what the first one created is now stored.
    const again = (await (await post("/api/v1/erp/updates/events", events)).json()) as {
      results: { summary: Record<string, number> }[];
    };
    expect(again.results[0]?.summary).toMatchObject({ create: 0, update: 0, error: 1 });
  });

  test("a body past 10 MB reaches the route whole", async () => {
    // A proxy that saw every /api request made Next buffer bodies and cut them at 10 MB.
    const payload = { ...DAILY_BATCH, notes: "x".repeat(12_000_000) };
    const dryRun = await post(
      "/api/v1/use-cases/meter-readings/dry-run",
      JSON.stringify({ payload }),
    );
    expect(dryRun.status).toBe(200);
    // Every reading was planned (the events test before may have stored some already).
    const { plan } = (await dryRun.json()) as { plan: { summary: Record<string, number> } };
    const planned = Object.values(plan.summary).reduce((a, b) => a + b, 0);
    expect(planned).toBe(DAILY_BATCH.readings.length);
  });

  test("its errors are the API's envelopes, with their statuses", async () => {
    const malformed = await post("/api/v1/erp/updates/events", '{\n  "events": [}');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: "BAD_JSON", details: { line: 2, column: 14 } },
    });
    const wrongTypes = await post(
      "/api/v1/erp/updates/events",
      JSON.stringify({ integration_id: integrationId, events: {} }),
    );
    expect(wrongTypes.status).toBe(422);
    expect(await wrongTypes.json()).toMatchObject({ error: { code: "INVALID_REQUEST" } });
    const unknown = await post(
      "/api/v1/use-cases/no-such-use-case/dry-run",
      JSON.stringify({ payload: DAILY_BATCH }),
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
