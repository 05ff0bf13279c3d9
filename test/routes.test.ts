import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postEvents } from "../app/api/v1/erp/updates/events/route";
import { POST as postSimulation } from "../app/api/v1/erp/updates/mapping_simulation/route";
import { GET as getOpenApi } from "../app/api/v1/openapi.json/route";
import { POST as postDryRun } from "../app/api/v1/use-cases/[slug]/dry-run/route";
import { type DbClient, useDbForTests } from "../db/client";
import { insertVersion, revokeApiKey } from "../db/repository";
import { eventsResponseSchema } from "../lib/api/erp-schemas";
import { dryRunResponseSchema, mappingSimulationResponseSchema } from "../lib/api/openapi";
import { AppError } from "../lib/server/http/app-error";
import { route, useBodyLimitForTests } from "../lib/server/http/route-handler";
import { storedEventPayload } from "../lib/server/imports/event-service";
import { issueApiKey } from "../lib/server/integrations/api-keys";
import { createIntegration } from "../lib/server/integrations/integration-service";
import { createUseCase, publishBySlug } from "../lib/server/integrations/use-case-service";
import {
  BASE,
  countRows,
  eventResults,
  expectError,
  openApiWorld,
  postEventList,
  readingsConfig,
  request,
} from "./helpers/api-fixtures";
import { openTestDb, testDatabases } from "./helpers/test-db";

const invalidConfig = { meter_readings: [{ jsonataExpression: "readings" }] };

type Handler = (request: Request) => Promise<Response>;

let counter = 0;
const readingPayload = (meter: string, count = 2) => {
  counter += 1;
  return {
    readings: Array.from({ length: count }, (_, i) => ({
      meter,
      id: `R${counter}-${i}`,
      // A year per payload: readings on a stored reading's Berlin day would be skipped.
      at: `${2000 + counter}-01-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
      value: 10 + i,
    })),
  };
};

describe.each(await testDatabases())("the API routes on %s", (kind) => {
  let client: DbClient;
  let integrationId: string;
  let otherIntegrationId: string;
  let key: string;
  let revokedKey: string;

  const events = (list: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    postEventList({ integrationId, key }, list, extra);

  beforeAll(async () => {
    ({ client, integrationId, key } = await openApiWorld(kind));
    useDbForTests(client);
    otherIntegrationId = (await createIntegration(client, "Other ERP")).integration.id;
    const revoked = await issueApiKey(client, integrationId, "old");
    await revokeApiKey(client.db, integrationId, revoked.record.id);
    revokedKey = revoked.key;
    const broken = await publishBySlug(client, {
      integrationId,
      slug: "broken",
      config: readingsConfig,
    });
    // The service refuses to publish an invalid configuration; a stored one can still go bad.
    await insertVersion(client.db, broken.useCase.id, invalidConfig, "bad");
    await createUseCase(client, { integrationId, slug: "unpublished" });
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await client?.close();
  });

  describe("POST /api/v1/erp/updates/events", () => {
    it("imports the readings of an event and returns the plan's summary", async () => {
      const before = await countRows(client, "readings");
      const response = await events(
        [{ use_case_slug: "readings", payload: readingPayload("M1") }],
        {
          correlation_id: "run-1",
        },
      );
      expect(response.status).toBe(200);
      const body = eventsResponseSchema.strict().parse(await response.json());
      expect(body.status).toBe("ok");
      expect(body.correlation_id).toBe("run-1");
      expect(body.results).toEqual([
        {
          index: 0,
          status: "success",
          use_case_slug: "readings",
          event_id: expect.any(String),
          import_id: expect.any(String),
          summary: { create: 2, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 },
        },
      ]);
      expect(await countRows(client, "readings")).toBe(before + 2);
    });

    it("answers correlation_id null when the request has none", async () => {
      const response = await events([{ use_case_slug: "nope", payload: {} }]);
      expect((await response.json()).correlation_id).toBeNull();
    });

    it("skips an event whose deduplication_id was processed, however often it comes again", async () => {
      const event = {
        use_case_slug: "readings",
        payload: readingPayload("M1"),
        deduplication_id: `dedup-${kind}`,
      };
      const [first] = await eventResults(await events([event]));
      expect(first?.status).toBe("success");
      const before = await countRows(client, "imports");
      for (let i = 0; i < 2; i++) {
        const [again] = await eventResults(await events([event]));
        expect(again).toMatchObject({ status: "skipped", import_id: first?.import_id });
      }
      expect(await countRows(client, "imports")).toBe(before);
    });

    it("imports the same event twice without a deduplication_id: the second changes nothing", async () => {
      const event = { use_case_slug: "readings", payload: readingPayload("M2", 3) };
      const [first] = await eventResults(await events([event]));
      expect(first?.summary?.create).toBe(3);
      const readings = await countRows(client, "readings");
      const [second] = await eventResults(await events([event]));
      expect(second).toMatchObject({ status: "success" });
      expect(second?.summary).toEqual({
        create: 0,
        update: 0,
        unchanged: 3,
        skip: 0,
        delete: 0,
        error: 0,
      });
      expect(await countRows(client, "readings")).toBe(readings);
    });

    it("routes an event by its event_name", async () => {
      const [result] = await eventResults(
        await events([{ event_name: "meter.readings", payload: readingPayload("M1") }]),
      );
      expect(result).toMatchObject({ status: "success", use_case_slug: "readings" });
      expect(result?.summary?.create).toBe(2);
    });

    it("ignores an event that no use case matches", async () => {
      const results = await eventResults(
        await events([
          { use_case_slug: "no-such-case", payload: {} },
          { event_name: "no.such.event", payload: {} },
        ]),
      );
      expect(results.map((r) => r.status)).toEqual(["ignored", "ignored"]);
    });

    it("accepts a payload given as a JSON string", async () => {
      const payload = JSON.stringify(readingPayload("M2"));
      const [result] = await eventResults(await events([{ use_case_slug: "readings", payload }]));
      expect(result).toMatchObject({ status: "success", summary: { create: 2 } });
    });

    it("fails only the event whose payload string is broken", async () => {
      const before = await countRows(client, "readings");
      const payloads = [readingPayload("M1"), '{"readings": [', readingPayload("M2")];
      const results = await eventResults(
        await events(payloads.map((payload) => ({ use_case_slug: "readings", payload }))),
      );
      expect(results.map((r) => r.status)).toEqual(["success", "error", "success"]);
      expect(results[1]).toMatchObject({
        index: 1,
        use_case_slug: "readings",
        error: { code: "PAYLOAD_INVALID", details: { position: 14, line: 1, column: 15 } },
      });
      expect(await countRows(client, "readings")).toBe(before + 4);
      // Every event's payload is kept as it was sent, the broken one too (support can see it).
      const stored = await Promise.all(
        results.map((r) => storedEventPayload(client, r.event_id as string)),
      );
      expect(stored).toEqual(payloads);
    });

    it("fails an event whose published configuration is invalid, with CONFIG_INVALID", async () => {
      const [result] = await eventResults(
        await events([{ use_case_slug: "broken", payload: readingPayload("M1") }]),
      );
      expect(result).toMatchObject({ status: "error", error: { code: "CONFIG_INVALID" } });
      expect(result?.error?.details.errors).toEqual(expect.arrayContaining([expect.any(Object)]));
    });

    it("fails an event whose use case was never published", async () => {
      const [result] = await eventResults(
        await events([{ use_case_slug: "unpublished", payload: readingPayload("M1") }]),
      );
      expect(result).toMatchObject({ status: "error", error: { code: "NOT_FOUND" } });
    });

    it("refuses a request without a key, with an unknown key and with a revoked key (401)", async () => {
      const body = { integration_id: integrationId, events: [] };
      for (const k of [null, "mms_not-a-real-key", revokedKey]) {
        const response = await postEvents(request("/api/v1/erp/updates/events", body, { key: k }));
        await expectError(response, 401, "UNAUTHORIZED");
      }
    });

    it("refuses a key of another integration (403)", async () => {
      const response = await postEvents(
        request(
          "/api/v1/erp/updates/events",
          {
            integration_id: otherIntegrationId,
            events: [{ timestamp: "t", format: "json", use_case_slug: "readings", payload: {} }],
          },
          { key },
        ),
      );
      const body = await expectError(response, 403, "FORBIDDEN");
      expect(body.error.details).toEqual({ integration_id: otherIntegrationId });
    });

    it("answers malformed JSON with 400 and where it broke", async () => {
      const response = await postEvents(
        request("/api/v1/erp/updates/events", '{\n  "events": [}', { key }),
      );
      const body = await expectError(response, 400, "BAD_JSON");
      expect(body.error.details).toEqual({ position: 15, line: 2, column: 14 });
    });

    it("answers an empty body with 400", async () => {
      await expectError(
        await postEvents(request("/api/v1/erp/updates/events", "", { key })),
        400,
        "BAD_JSON",
      );
    });

    it("answers wrong types with 422 and each issue as a JSON pointer", async () => {
      const notArray = await postEvents(
        request(
          "/api/v1/erp/updates/events",
          { integration_id: integrationId, events: {} },
          { key },
        ),
      );
      const first = await expectError(notArray, 422, "INVALID_REQUEST");
      expect(first.error.details.issues).toEqual([
        { path: "/events", code: "invalid_type", message: expect.any(String) },
      ]);
      const csv = await postEvents(
        request(
          "/api/v1/erp/updates/events",
          {
            integration_id: integrationId,
            events: [{ timestamp: "t", format: "csv", use_case_slug: "readings", payload: {} }],
          },
          { key },
        ),
      );
      const second = await expectError(csv, 422, "INVALID_REQUEST");
      expect(second.error.details.issues).toEqual([
        expect.objectContaining({ path: "/events/0/format" }),
      ]);
      const unrouted = await postEvents(
        request(
          "/api/v1/erp/updates/events",
          {
            integration_id: integrationId,
            events: [{ timestamp: "t", format: "json", payload: {} }],
          },
          { key },
        ),
      );
      const third = await expectError(unrouted, 422, "INVALID_REQUEST");
      expect(third.error.details.issues).toEqual([
        expect.objectContaining({ path: "/events/0/use_case_slug" }),
      ]);
    });

    it("answers a body over the limit with 413", async () => {
      useBodyLimitForTests(256);
      try {
        const response = await events([
          { use_case_slug: "readings", payload: { filler: "x".repeat(300) } },
        ]);
        const body = await expectError(response, 413, "PAYLOAD_TOO_LARGE");
        expect(body.error.details).toMatchObject({ limit_bytes: 256 });
      } finally {
        useBodyLimitForTests(undefined);
      }
    });

    it("reads a body streamed without a declared length, and stops one that outgrows the limit", async () => {
      const streamed = (text: string, chunk: number) => {
        const bytes = new TextEncoder().encode(text);
        let at = 0;
        return new Request(`${BASE}/api/v1/erp/updates/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: new ReadableStream<Uint8Array>({
            pull(controller) {
              if (at >= bytes.length) return controller.close();
              controller.enqueue(bytes.subarray(at, at + chunk));
              at += chunk;
            },
          }),
          duplex: "half",
        } as RequestInit);
      };
      // Over 64 KB in 1000-byte chunks: the buffer grows several times on the way.
      const payload = { ...readingPayload("M1"), note: "é".repeat(100_000) };
      const text = JSON.stringify({
        integration_id: integrationId,
        events: [
          { timestamp: "2024-05-01T00:00:00Z", format: "json", use_case_slug: "readings", payload },
        ],
      });
      const [result] = await eventResults(await postEvents(streamed(text, 1000)));
      expect(result).toMatchObject({ status: "success", summary: { create: 2 } });
      useBodyLimitForTests(150_000);
      try {
        const body = await expectError(
          await postEvents(streamed(text, 1000)),
          413,
          "PAYLOAD_TOO_LARGE",
        );
        expect(body.error.details).toMatchObject({ limit_bytes: 150_000 });
      } finally {
        useBodyLimitForTests(undefined);
      }
    });

    it("answers a body that is not sent as JSON with 415", async () => {
      const response = await postEvents(
        request("/api/v1/erp/updates/events", "{}", { key, type: "text/plain" }),
      );
      await expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    });
  });

  describe("POST /api/v1/erp/updates/mapping_simulation", () => {
    const simulate = (body: unknown, k: string | null = key) =>
      postSimulation(request("/api/v1/erp/updates/mapping_simulation", body, { key: k }));

    it("answers what the configuration maps, without writing", async () => {
      const readings = await countRows(client, "readings");
      const response = await simulate({
        event_configuration: readingsConfig,
        format: "json",
        payload: JSON.stringify({
          readings: [{ meter: "M1", id: "S1", at: "2024-06-01T10:00:00Z", value: 7 }],
        }),
      });
      expect(response.status).toBe(200);
      const body = mappingSimulationResponseSchema.strict().parse(await response.json());
      expect(body).toEqual({
        entity_updates: [],
        meter_readings_updates: [
          {
            meter: { $entity_unique_ids: { meter_number: "M1" } },
            attributes: {
              external_id: "S1",
              timestamp: "2024-06-01T10:00:00Z",
              value: 7,
              source: "ERP",
            },
          },
        ],
        warnings: [],
      });
      expect(await countRows(client, "readings")).toBe(readings);
    });

    it("answers an invalid configuration with 422 CONFIG_INVALID and its errors", async () => {
      const body = await expectError(
        await simulate({ event_configuration: invalidConfig, format: "json", payload: {} }),
        422,
        "CONFIG_INVALID",
      );
      expect(body.error.details.errors).toEqual(expect.arrayContaining([expect.any(Object)]));
    });

    it("answers a format other than json and xml with 422", async () => {
      const body = await expectError(
        await simulate({ event_configuration: readingsConfig, format: "csv", payload: {} }),
        422,
        "INVALID_REQUEST",
      );
      expect(body.error.details.issues).toEqual([expect.objectContaining({ path: "/format" })]);
    });

    it("answers a broken payload string with 422 PAYLOAD_INVALID", async () => {
      await expectError(
        await simulate({ event_configuration: readingsConfig, payload: "[1," }),
        422,
        "PAYLOAD_INVALID",
      );
    });

    it("needs a key", async () => {
      await expectError(await simulate({}, null), 401, "UNAUTHORIZED");
    });
  });

  describe("POST /api/v1/use-cases/[slug]/dry-run", () => {
    const dryRun = (slug: string, body: unknown) =>
      postDryRun(request(`/api/v1/use-cases/${slug}/dry-run`, body, { key }), {
        params: Promise.resolve({ slug }),
      });

    it("plans against the stored state with the published configuration and writes nothing", async () => {
      const payload = readingPayload("M1");
      await eventResults(await events([{ use_case_slug: "readings", payload }]));
      const before = {
        readings: await countRows(client, "readings"),
        imports: await countRows(client, "imports"),
        events: await countRows(client, "inbound_events"),
      };
      const changed = {
        readings: [
          ...payload.readings.map((r, i) => (i === 0 ? { ...r, value: 99 } : r)),
          { meter: "M1", id: "NEW", at: "2023-12-24T10:00:00Z", value: 1 },
          { meter: "M9", id: "LOST", at: "2023-12-25T10:00:00Z", value: 1 },
        ],
      };
      const response = await dryRun("readings", { payload: changed });
      expect(response.status).toBe(200);
      const { plan } = dryRunResponseSchema.strict().parse(await response.json());
      expect(plan.summary).toEqual({
        create: 1,
        update: 1,
        unchanged: 1,
        skip: 0,
        delete: 0,
        error: 1,
      });
      expect(plan.decisions.map((d) => d.action)).toEqual([
        "update",
        "unchanged",
        "create",
        "error",
      ]);
      expect(await countRows(client, "readings")).toBe(before.readings);
      expect(await countRows(client, "imports")).toBe(before.imports);
      expect(await countRows(client, "inbound_events")).toBe(before.events);
    });

    it("plans with a configuration from the request instead of the published one", async () => {
      const response = await dryRun("unpublished", {
        payload: readingPayload("M2"),
        configuration: readingsConfig,
      });
      expect(response.status).toBe(200);
      expect((await response.json()).plan.summary.create).toBe(2);
      await expectError(
        await dryRun("unpublished", { payload: {}, configuration: invalidConfig }),
        422,
        "CONFIG_INVALID",
      );
    });

    it("answers 404 for an unknown use case and for one never published", async () => {
      const unknown = await expectError(await dryRun("nope", { payload: {} }), 404, "NOT_FOUND");
      expect(unknown.error.details).toEqual({ use_case_slug: "nope" });
      await expectError(await dryRun("unpublished", { payload: {} }), 404, "NOT_FOUND");
    });

    it("does not find a use case of another integration", async () => {
      const other = await createIntegration(client, "Third ERP");
      const response = await postDryRun(
        request("/api/v1/use-cases/readings/dry-run", { payload: {} }, { key: other.apiKey }),
        { params: Promise.resolve({ slug: "readings" }) },
      );
      await expectError(response, 404, "NOT_FOUND");
    });

    it("answers a body without payload with 422", async () => {
      const body = await expectError(await dryRun("readings", {}), 422, "INVALID_REQUEST");
      expect(body.error.details.issues).toEqual([expect.objectContaining({ path: "/payload" })]);
    });

    it.runIf(kind === "postgres")(
      "answers a failure on the import thread with a 500 whose error id names the thread's log line",
      async () => {
        // A database of its own, whose use cases table is gone: the thread's lookup fails.
        const broken = await openTestDb(kind);
        const switchDb = useDbForTests; // not a React hook, whatever its name says
        // The thread's console reaches this process's stderr a little later, as text.
        let logged = "";
        const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
          logged += String(chunk);
          return true;
        });
        try {
          switchDb(broken);
          const own = await createIntegration(broken, "Broken ERP");
          await broken.db.execute(sql`DROP TABLE use_cases CASCADE`);
          const response = await postDryRun(
            request("/api/v1/use-cases/readings/dry-run", { payload: {} }, { key: own.apiKey }),
            { params: Promise.resolve({ slug: "readings" }) },
          );
          const body = await expectError(response, 500, "INTERNAL");
          const errorId = body.error.details.error_id as string;
          expect(errorId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
          expect(body.message).not.toContain("use_cases");
          await vi.waitFor(() => {
            const line = logged.split("\n").find((l) => l.includes(errorId));
            expect(line).toContain("the import thread");
            expect(logged).toContain('relation "use_cases" does not exist');
          });
        } finally {
          stderr.mockRestore();
          switchDb(client);
          await broken.close();
        }
      },
    );
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("describes every route in valid OpenAPI 3.1 JSON, with resolvable refs", async () => {
    const response = await getOpenApi(new Request(`${BASE}/api/v1/openapi.json`));
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([
      "/api/v1/erp/updates/events",
      "/api/v1/erp/updates/mapping_simulation",
      "/api/v1/openapi.json",
      "/api/v1/use-cases/{slug}/dry-run",
    ]);
    expect(document.paths["/api/v1/erp/updates/events"].post.responses).toHaveProperty("403");
    expect(document.paths["/api/v1/use-cases/{slug}/dry-run"].post.responses).toHaveProperty("404");
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ scheme: "bearer" });
    const text = JSON.stringify(document);
    expect(text).not.toContain('"$schema"');
    for (const [, target] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const resolved = (target as string)
        .split("/")
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], document);
      expect(resolved, target).toBeDefined();
    }
  });
});

describe("the route wrapper", () => {
  it("hides an unexpected error behind a 500 envelope whose error id names the log line", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const handler: Handler = route(async () => {
        throw new Error("secret database detail");
      });
      const response = await handler(new Request(BASE));
      const body = await expectError(response, 500, "INTERNAL");
      expect(body.message).not.toContain("secret");
      const errorId = body.error.details.error_id;
      expect(errorId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      expect(body.message).toContain(errorId);
      expect(log).toHaveBeenCalledWith(
        expect.stringContaining(errorId as string),
        expect.objectContaining({ message: "secret database detail" }),
      );
    } finally {
      log.mockRestore();
    }
  });

  it("gives an error id to an INTERNAL AppError that came without one", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const handler: Handler = route(async () => {
        throw new AppError("INTERNAL", "An unexpected error occurred on the server");
      });
      const body = await expectError(await handler(new Request(BASE)), 500, "INTERNAL");
      const errorId = body.error.details.error_id;
      expect(errorId).toEqual(expect.any(String));
      expect(log).toHaveBeenCalledWith(
        expect.stringContaining(errorId as string),
        expect.anything(),
      );
    } finally {
      log.mockRestore();
    }
  });

  it("answers with the handler's status and passes an AppError's details through", async () => {
    const created = route(async () => ({ ok: true }), { status: 201 });
    expect((await created(new Request(BASE))).status).toBe(201);
    const conflict = route(async () => {
      throw new AppError("CONFLICT", "Taken", { slug: "x" });
    });
    const body = await expectError(await conflict(new Request(BASE)), 409, "CONFLICT");
    expect(body).toEqual({
      status: "error",
      message: "Taken",
      error: { code: "CONFLICT", details: { slug: "x" } },
    });
  });

  it("knows an AppError made by another copy of its module (the built server has several)", async () => {
    vi.resetModules();
    const copy = await import("../lib/server/http/app-error");
    expect(copy.AppError).not.toBe(AppError);
    const handler = route(async () => {
      throw new copy.AppError("BAD_JSON", "Malformed JSON", { line: 2 });
    });
    const body = await expectError(await handler(new Request(BASE)), 400, "BAD_JSON");
    expect(body.error.details).toEqual({ line: 2 });
    expect(new Error("plain")).not.toBeInstanceOf(AppError);
  });
});
