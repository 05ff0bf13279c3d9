import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../db/client";
import { query } from "../db/repository";
import { copyLines, sendCopyLines } from "../db/repository/copy-rows";
import { sendAhead, settleInOrder } from "../db/repository/driver";
import { openTestDb, testDatabases } from "./helpers/test-db";

const ROWS = 20_000;
const line = (n: number) => `${n}\trow\\t${n}\n`;

describe.each(await testDatabases())("copyLines on %s", (kind) => {
  let client: DbClient;
  beforeAll(async () => {
    client = await openTestDb(kind);
  });
  afterAll(async () => {
    await client?.close();
  });

  it("writes every row of many slices, escapes and all", async () => {
    const rows = await client.db.transaction(async (tx) => {
      await tx.execute(sql`CREATE TEMP TABLE copied (n int, s text) ON COMMIT DROP`);
      await copyLines(
        tx,
        "copied",
        ["n", "s"],
        ROWS,
        (start, end) => {
          let text = "";
          for (let i = start; i < end; i++) text += line(i);
          return text;
        },
        1000,
      );
      return query<{ n: number; sum: string; tabbed: number }>(
        tx,
        sql`SELECT count(*)::int AS n, sum(n)::text AS sum,
              count(*) FILTER (WHERE s = E'row\\t' || n)::int AS tabbed FROM copied`,
      );
    });
    expect(rows[0]).toEqual({ n: ROWS, sum: String((ROWS * (ROWS - 1)) / 2), tabbed: ROWS });
  });

  const lines = (start: number, end: number) => {
    let text = "";
    for (let i = start; i < end; i++) text += line(i);
    return text;
  };

  it("sends a COPY right behind one that is sent and not yet answered: both land", async () => {
    const counts = await client.db.transaction(async (tx) => {
      await tx.execute(sql`CREATE TEMP TABLE first_copy (n int, s text) ON COMMIT DROP`);
      await tx.execute(sql`CREATE TEMP TABLE second_copy (n int, s text) ON COMMIT DROP`);
      const first = await sendCopyLines(tx, "first_copy", ["n", "s"], ROWS, lines, 1000);
      const second = await sendCopyLines(tx, "second_copy", ["n", "s"], 500, lines);
      await settleInOrder([first.done, second.done]);
      return query<{ a: number; b: number }>(
        tx,
        sql`SELECT (SELECT count(*)::int FROM first_copy) AS a, (SELECT count(*)::int FROM second_copy) AS b`,
      );
    });
    expect(counts[0]).toEqual({ a: ROWS, b: 500 });
  });

  it("reports the first COPY's own error when the one sent behind it fails for it", async () => {
    const failed = client.db.transaction(async (tx) => {
      await tx.execute(
        sql`CREATE TEMP TABLE keyed_copy (n int PRIMARY KEY, s text) ON COMMIT DROP`,
      );
      await tx.execute(sql`CREATE TEMP TABLE after_copy (n int, s text) ON COMMIT DROP`);
      // Row 7 twice: the server refuses the first COPY once it has all of it.
      const first = await sendCopyLines(tx, "keyed_copy", ["n", "s"], 2, (start, end) =>
        start === 0 && end === 2 ? line(7) + line(7) : line(7),
      );
      const sent = [first.done];
      try {
        sent.push((await sendCopyLines(tx, "after_copy", ["n", "s"], 10, lines)).done);
      } catch (error) {
        await settleInOrder(sent);
        throw error;
      }
      await settleInOrder(sent);
    });
    await expect(failed).rejects.toThrow(/duplicate key/);
  });

  it.runIf(kind === "postgres")(
    "builds its text while the statement before it still runs, so it streams once its turn comes",
    async () => {
      const built: number[] = [];
      let slept = 0;
      await client.db.transaction(async (tx) => {
        await tx.execute(sql`CREATE TEMP TABLE copied_late (n int, s text) ON COMMIT DROP`);
        const { done } = await sendAhead(tx, sql`SELECT pg_sleep(0.3)`);
        const busy = done.then(() => {
          slept = performance.now();
        });
        await copyLines(
          tx,
          "copied_late",
          ["n", "s"],
          ROWS,
          (start, end) => {
            built.push(performance.now());
            let text = "";
            for (let i = start; i < end; i++) text += line(i);
            return text;
          },
          1000,
        );
        await busy;
      });
      expect(built.length).toBeGreaterThanOrEqual(ROWS / 1000);
      // Every slice was made while the server slept, none waited for the connection.
      expect(Math.max(...built)).toBeLessThan(slept);
    },
  );

  it.runIf(kind === "postgres")(
    "sends the statements that queued behind a busy connection together, not one per turn of this thread",
    async () => {
      const stamps = await client.db.transaction(async (tx) => {
        // A parameter the connection has not seen: it waits for the server to describe the
        // statement, and the statements behind it queue meanwhile.
        const { done: described } = await sendAhead(
          tx,
          sql`SELECT ${randomUUID()}::text AS unseen`,
        );
        const queued = [1, 2, 3].map(() =>
          query<{ at: string }>(tx, sql`SELECT clock_timestamp()::text AS at`),
        );
        await described;
        // Once the first has its answer, this thread is busy for a while: a statement still
        // queued here would wait for it.
        void queued[0]?.then(() => {
          const until = performance.now() + 300;
          while (performance.now() < until);
        });
        return (await Promise.all(queued)).map((rows) => Date.parse(rows[0]?.at ?? ""));
      });
      expect(stamps.every(Number.isFinite)).toBe(true);
      // Run back to back on the server, not each after a turn of this (blocked) thread.
      expect(Math.max(...stamps) - Math.min(...stamps)).toBeLessThan(150);
    },
  );

  it.runIf(kind === "postgres")(
    "sends a statement queued behind a COPY as soon as the COPY's end is sent, not once its answer is read",
    async () => {
      const [marks] = await client.db.transaction(async (tx) => {
        await tx.execute(sql`CREATE TEMP TABLE marks (what text, at timestamptz) ON COMMIT DROP`);
        await tx.execute(sql`CREATE TEMP TABLE slow_copy (n int, s text) ON COMMIT DROP`);
        // The server finishes the COPY 200 ms after its end arrives, and marks when.
        await tx.execute(
          sql.raw(`CREATE FUNCTION pg_temp.slow_end() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(0.2); INSERT INTO marks VALUES ('copy', clock_timestamp()); RETURN NULL; END $$`),
        );
        await tx.execute(
          sql.raw(
            "CREATE TRIGGER slow_end AFTER INSERT ON slow_copy FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.slow_end()",
          ),
        );
        // Behind a statement that waits to be described: the COPY is sent from the queue.
        const { done: described } = await sendAhead(
          tx,
          sql`SELECT ${randomUUID()}::text AS unseen`,
        );
        const copy = await sendCopyLines(tx, "slow_copy", ["n", "s"], 100, lines);
        const next = await sendAhead(tx, sql`INSERT INTO marks VALUES ('next', clock_timestamp())`);
        // A moment for the statement to go out (the COPY's answer is 200 ms away), then this
        // thread is busy past that answer.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const until = performance.now() + 500;
        while (performance.now() < until);
        await settleInOrder([described, copy.done, next.done]);
        return query<{ gap_ms: number }>(
          tx,
          sql`SELECT (extract(epoch FROM (SELECT at FROM marks WHERE what = 'next') -
                (SELECT at FROM marks WHERE what = 'copy')) * 1000)::float8 AS gap_ms`,
        );
      });
      // Run on the server right behind the COPY, not after this (blocked) thread read its answer.
      expect(marks?.gap_ms).toBeGreaterThanOrEqual(0);
      expect(marks?.gap_ms).toBeLessThan(150);
    },
  );
});
