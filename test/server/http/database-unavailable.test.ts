import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "../../../app/api/v1/erp/updates/events/route";
import { POST as postSimulation } from "../../../app/api/v1/erp/updates/mapping_simulation/route";
import { createDb, type DbClient, useDbForTests } from "../../../db/client";
import { isDatabaseUnavailable } from "../../../lib/server/http/database-unavailable";
import { createIntegration } from "../../../lib/server/integrations/integration-service";
import { BackendKiller } from "../../helpers/backend-killer";
import { openTestDb, testDatabases } from "../../helpers/test-db";

function simulation(key: string) {
  return new Request("http://localhost/api/v1/erp/updates/mapping_simulation", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ event_configuration: { meter_readings: [] }, payload: {} }),
  });
}

async function expectUnavailable(response: Response) {
  expect({ status: response.status, body: await response.json() }).toEqual({
    status: 503,
    body: {
      status: "error",
      message: expect.stringMatching(/database connection was lost or could not be made/),
      error: { code: "DATABASE_UNAVAILABLE", details: {} },
    },
  });
}

describe("isDatabaseUnavailable", () => {
  const driverError = (code: string) => Object.assign(new Error(code), { code });
  const wrapped = (cause: unknown) => new Error("Failed query: SELECT 1", { cause });

  it.each([
    ["postgres.js: the connection closed", driverError("CONNECTION_CLOSED"), true],
    ["postgres.js: connecting timed out", driverError("CONNECT_TIMEOUT"), true],
    ["the server refused the connection", driverError("ECONNREFUSED"), true],
    ["the connection was reset", driverError("ECONNRESET"), true],
    ["pg_terminate_backend (57P01), wrapped by drizzle", wrapped(driverError("57P01")), true],
    ["idle_in_transaction_session_timeout (25P03)", driverError("25P03"), true],
    ["a connection exception (08006)", driverError("08006"), true],
    ["too many connections (53300)", driverError("53300"), true],
    ["a unique key (23505), wrapped by drizzle", wrapped(driverError("23505")), false],
    ["a statement timeout (57014)", driverError("57014"), false],
    ["a plain error", new Error("boom"), false],
    ["nothing", undefined, false],
  ])("%s", (_, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});

describe("a route whose database cannot be reached", () => {
  let unreachable: DbClient;

  beforeAll(() => {
    // Nothing listens on port 1: every connection is refused at once.
    unreachable = createDb({ url: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    useDbForTests(unreachable);
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await unreachable?.close();
  });

  it("answers 503 DATABASE_UNAVAILABLE in the envelope, not 500", async () => {
    await expectUnavailable(await postSimulation(simulation("mms_some-key")));
    const events = new Request("http://localhost/api/v1/erp/updates/events", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer mms_some-key" },
      body: JSON.stringify({ integration_id: "x", events: [] }),
    });
    await expectUnavailable(await postEvents(events));
  });
});

describe.runIf((await testDatabases()).includes("postgres"))(
  "a route whose connection on the server's own pool is killed (Postgres)",
  () => {
    let client: DbClient;
    let killer: BackendKiller;
    let key: string;

    beforeAll(async () => {
      client = await openTestDb("postgres");
      if (client.kind !== "postgres") throw new Error("expected Postgres");
      useDbForTests(client);
      killer = new BackendKiller(client.url, client.schema);
      key = (await createIntegration(client, "ERP")).apiKey;
    });

    afterEach(async () => {
      await killer.release();
    });

    afterAll(async () => {
      useDbForTests(undefined);
      await killer?.close();
      await client?.close();
    });

    it("answers 503 DATABASE_UNAVAILABLE, and the next request is served", async () => {
      // The key lookup waits for the test's lock on the table, and its backend is killed there.
      await killer.hold((tx) => tx.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE"));
      const response = postSimulation(simulation(key));
      await killer.killWaiting();
      await expectUnavailable(await response);
      await killer.release();
      expect((await postSimulation(simulation(key))).status).toBe(200);
    });
  },
);
