import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "../../../app/api/v1/erp/updates/events/route";
import { type DbClient, useDbForTests } from "../../../db/client";
import { LOCK_CLASS, lockKeys, query } from "../../../db/repository";
import { eventsResponseSchema } from "../../../lib/api/erp-schemas";
import { storedEventPayload } from "../../../lib/server/imports/event-service";
import { applyImport } from "../../../lib/server/imports/import-service";
import { stopImportThreadsForTests } from "../../../lib/server/imports/import-thread";
import { createIntegration } from "../../../lib/server/integrations/integration-service";
import { publishBySlug } from "../../../lib/server/integrations/use-case-service";
import { meterSetup, readingsConfig } from "../../helpers/api-fixtures";
import { BackendKiller } from "../../helpers/backend-killer";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const METERS = Array.from({ length: 8 }, (_, i) => `M${i}`);

let year = 1900;
/** Readings on a year of their own: none falls on a stored reading's Berlin day. */
function readingsOf(meter: string, prefix: string, count = 2) {
  year += 1;
  return {
    readings: Array.from({ length: count }, (_, i) => ({
      meter,
      id: `${prefix}-${i}`,
      at: `${year}-01-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
      value: 10 + i,
    })),
  };
}

describe.runIf((await testDatabases()).includes("postgres"))(
  "the import thread when its connection or the thread itself dies (Postgres)",
  () => {
    let client: DbClient;
    let killer: BackendKiller;
    let integrationId: string;
    let key: string;

    const post = (events: Record<string, unknown>[]) =>
      postEvents(
        new Request("http://localhost/api/v1/erp/updates/events", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({
            integration_id: integrationId,
            events: events.map((e) => ({
              timestamp: "2024-05-01T00:00:00Z",
              format: "json",
              use_case_slug: "readings",
              ...e,
            })),
          }),
        }),
      );

    async function results(response: Response) {
      const body = await response.json();
      expect({ status: response.status, body }).toMatchObject({ status: 200 });
      return eventsResponseSchema.strict().parse(body).results;
    }

    /** Small events on every meter, each in a request of its own, all at once. */
    function smallRequests(count: number, prefix: string) {
      return Array.from({ length: count }, (_, i) =>
        post([{ payload: readingsOf(METERS[i % METERS.length] as string, `${prefix}${i}`) }]),
      );
    }

    async function expectAllImported(responses: Promise<Response>[]) {
      const statuses = await Promise.all(
        responses.map(async (r) => (await results(await r)).map((e) => e.status)),
      );
      expect(statuses.flat()).toEqual(responses.map(() => "success"));
    }

    async function readingsLike(pattern: string) {
      const [row] = await query<{ n: number }>(
        client.db,
        sql`SELECT count(*)::int AS n FROM readings WHERE external_id LIKE ${pattern}`,
      );
      return row?.n;
    }

    beforeAll(async () => {
      client = await openTestDb("postgres");
      if (client.kind !== "postgres") throw new Error("expected Postgres");
      useDbForTests(client);
      killer = new BackendKiller(client.url, client.schema);
      const created = await createIntegration(client, "ERP");
      integrationId = created.integration.id;
      key = created.apiKey;
      await applyImport(client, {
        useCaseId: null,
        config: meterSetup,
        payload: { meters: METERS.map((number) => ({ number })) },
        trigger: "cli",
      });
      await publishBySlug(client, { integrationId, slug: "readings", config: readingsConfig });
      // The thread starts and warms up its connections.
      await expectAllImported(smallRequests(6, "warm"));
    });

    afterAll(async () => {
      useDbForTests(undefined);
      await killer?.close();
      await client?.close();
    });

    it("fails only the event whose connection was killed, keeps it for replay, and the others go through", async () => {
      // The victim waits for its deduplication lock, which the test holds.
      await killer.hold((tx) =>
        lockKeys(tx, LOCK_CLASS.deduplication, [`${integrationId}\u0000victim`]),
      );
      const payload = readingsOf("M0", "victim", 3);
      const victim = post([{ payload, deduplication_id: "victim" }]);
      await killer.waiting();
      const others = smallRequests(33, "busy");
      await killer.killWaiting();
      await killer.release();

      const [result] = await results(await victim);
      expect(result).toMatchObject({
        index: 0,
        status: "error",
        use_case_slug: "readings",
        event_id: expect.any(String),
        error: { code: "DATABASE_CONNECTION_LOST" },
      });
      expect(result?.message).toMatch(/nothing was written/);
      await expectAllImported(others);

      expect(await readingsLike("victim-%")).toBe(0);
      const [stored] = await query<{ status: string }>(
        client.db,
        sql`SELECT status FROM inbound_events WHERE id = ${result?.event_id}`,
      );
      expect(stored?.status).toBe("error");
      expect(await storedEventPayload(client, result?.event_id as string)).toEqual(payload);

      // The thread and its pool recovered: every connection of it serves the next requests.
      await expectAllImported(smallRequests(12, "after"));
      // Sent again, the event imports (its deduplication id did not count the failed attempt).
      const [again] = await results(await post([{ payload, deduplication_id: "victim" }]));
      expect(again).toMatchObject({ status: "success", summary: { create: 3 } });
    });

    it("fails the event whose connection dies during its COPY, and writes nothing of it", async () => {
      const [meter] = await query<{ id: string }>(
        client.db,
        sql`SELECT id FROM entities WHERE entity_schema = 'meter' AND attributes->>'meter_number' = 'M1'`,
      );
      // An uncommitted reading with the external id of the event's second reading: the event's
      // COPY waits on the unique key until the test's transaction ends.
      await killer.hold((tx) =>
        tx.execute(sql`INSERT INTO readings (meter_id, external_id, timestamp, berlin_day, value)
                         VALUES (${meter?.id as string}, 'copy-1', now(), current_date, 1)`),
      );
      const victim = post([{ payload: readingsOf("M1", "copy", 3) }]);
      await killer.killWaiting();
      await killer.release();

      const [result] = await results(await victim);
      expect(result).toMatchObject({
        status: "error",
        error: { code: "DATABASE_CONNECTION_LOST" },
      });
      expect(await readingsLike("copy-%")).toBe(0);
      await expectAllImported(smallRequests(12, "after-copy"));
    });

    it("records the event as failed when its connection dies during the COMMIT that did not happen", async () => {
      // A deferred trigger makes the victim's COMMIT wait for a lock the test holds.
      await client.db.execute(sql`
        CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock(hashtext('mms-commit-' || current_schema()));
          RETURN NULL;
        END $$`);
      await client.db.execute(sql`
        CREATE CONSTRAINT TRIGGER wait_at_commit AFTER UPDATE ON inbound_events
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.deduplication_id = 'at-commit') EXECUTE FUNCTION wait_at_commit()`);
      try {
        await killer.hold((tx) =>
          tx.execute(
            sql`SELECT pg_advisory_xact_lock(hashtext('mms-commit-' || current_schema()))`,
          ),
        );
        const victim = post([
          { payload: readingsOf("M3", "at-commit", 2), deduplication_id: "at-commit" },
        ]);
        await killer.killWaiting();
        await killer.release();
        const [result] = await results(await victim);
        expect(result).toMatchObject({
          status: "error",
          error: { code: "DATABASE_CONNECTION_LOST" },
        });
        const statuses = await query<{ status: string }>(
          client.db,
          sql`SELECT status FROM inbound_events WHERE deduplication_id = 'at-commit'`,
        );
        expect(statuses).toEqual([{ status: "error" }]);
        expect(await readingsLike("at-commit-%")).toBe(0);
      } finally {
        await client.db.execute(sql`DROP TRIGGER wait_at_commit ON inbound_events`);
        await client.db.execute(sql`DROP FUNCTION wait_at_commit()`);
      }
    });

    it("answers the requests in flight with a 503 when the thread dies, and a fresh thread takes the next", async () => {
      await killer.hold((tx) =>
        lockKeys(tx, LOCK_CLASS.deduplication, [`${integrationId}\u0000in-flight`]),
      );
      const inFlight = post([
        { payload: readingsOf("M2", "in-flight", 3), deduplication_id: "in-flight" },
      ]);
      await killer.waiting();
      await stopImportThreadsForTests();
      const response = await inFlight;
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 503,
        body: {
          status: "error",
          message: expect.stringMatching(/send the request again/),
          error: { code: "IMPORT_THREAD_RESTARTED", details: {} },
        },
      });
      await killer.release();
      // The thread's connections closed with it: its transaction rolled back.
      expect(await readingsLike("in-flight-%")).toBe(0);
      await expectAllImported(smallRequests(6, "restarted"));
    });
  },
);
