import net from "node:net";
import { sql as drizzleSql } from "drizzle-orm";
import type postgres from "postgres";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb, type DbClient } from "../db/client";
import { openTestDb, testDatabases } from "./helpers/test-db";

/**
 * postgres.js when the server kills a connection (pg_terminate_backend, a failover, a timeout):
 * the pinned driver is patched (patches/postgres+*.patch) so that a transaction's connection dying
 * fails that transaction only. Each test runs on a pool of one connection, so whatever a dead
 * session leaves behind reaches the next statement.
 */
describe.runIf((await testDatabases()).includes("postgres"))(
  "postgres.js after a killed connection",
  () => {
    let admin: DbClient;
    let pool: DbClient;
    let sql: postgres.Sql;
    let killer: postgres.Sql;

    beforeAll(async () => {
      admin = await openTestDb("postgres");
      if (admin.kind !== "postgres") throw new Error("expected Postgres");
      await admin.db.execute(drizzleSql`CREATE TABLE rows_written (n int PRIMARY KEY)`);
      killer = admin.driver;
    });

    beforeEach(async () => {
      if (admin.kind !== "postgres") throw new Error("expected Postgres");
      await admin.db.execute(drizzleSql`TRUNCATE rows_written`);
      pool = createDb({ url: admin.url, schema: admin.schema, max: 1 });
      sql = pool.driver as postgres.Sql;
    });

    afterEach(async () => {
      await pool?.close();
    });

    afterAll(async () => {
      await admin?.close();
    });

    it("turns Nagle's algorithm off on the connections it opens", async () => {
      // A COPY's command written right behind the last COPY waited 40 ms for the server's
      // delayed acknowledgement: every COPY of an import's early writes did.
      const noDelay = vi.spyOn(net.Socket.prototype, "setNoDelay");
      try {
        await sql`SELECT 1`;
        expect(noDelay).toHaveBeenCalledWith(true);
      } finally {
        noDelay.mockRestore();
      }
    });

    const kill = (pid: number) => killer`SELECT pg_terminate_backend(${pid}::int)`;
    const written = async () =>
      (await killer<{ n: number }[]>`SELECT n FROM rows_written ORDER BY n`).map((r) => r.n);

    /** A transaction that says its backend, then waits for `go` before its next statements. */
    function pausedTransaction(next: (tx: postgres.TransactionSql) => Promise<unknown>) {
      let go = () => {};
      const gate = new Promise<void>((resolve) => {
        go = resolve;
      });
      let started: (pid: number) => void = () => {};
      const pid = new Promise<number>((resolve) => {
        started = resolve;
      });
      let sent: (statements: Promise<unknown>) => void = () => {};
      const later = new Promise<unknown>((resolve) => {
        sent = resolve;
      });
      later.catch(() => {});
      const done = sql.begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        started(row?.pid as number);
        await gate;
        const statements = next(tx);
        sent(statements);
        return statements;
      });
      done.catch(() => {});
      return { pid, go, done, later };
    }

    it("fails a transaction killed during a statement, and the next statements succeed", async () => {
      let pid = 0;
      const tx = sql.begin(async (t) => {
        pid = (await t<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]?.pid ?? 0;
        await t`SELECT pg_sleep(30)`;
      });
      tx.catch(() => {});
      while (!pid) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await kill(pid);
      await expect(tx).rejects.toMatchObject({ code: expect.stringMatching(/57P01|CONNECTION/) });
      // The first statement on the reconnected session must not get the dead session's error.
      for (let i = 0; i < 3; i++) expect(await sql`SELECT ${i}::int AS i`).toEqual([{ i }]);
    });

    it("gives the next statement only its own rows after one was killed while its rows arrived", async () => {
      let pid = 0;
      // Wide rows, more than the server's 8 kB output buffer, then a pause on the last one.
      const rows = sql.begin(async (t) => {
        pid = (await t<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]?.pid ?? 0;
        await t`SELECT g, repeat('x', 200) AS filler, CASE WHEN g = 200 THEN pg_sleep(30) END
                FROM generate_series(1, 200) AS g`;
      });
      rows.catch(() => {});
      for (;;) {
        const [row] = pid
          ? await killer<{ wait: string | null }[]>`
              SELECT wait_event AS wait FROM pg_stat_activity WHERE pid = ${pid}::int`
          : [];
        if (row?.wait === "PgSleep") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The rows sent before the pause have reached the client by now.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await kill(pid);
      await expect(rows).rejects.toBeDefined();
      expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });

    it("fails the statements a killed transaction sends afterwards, without writing them anywhere", async () => {
      const first = pausedTransaction((tx) => tx`INSERT INTO rows_written VALUES (1)`);
      await kill(await first.pid);
      await expect(first.done).rejects.toBeDefined();
      // Another transaction gets the pool's only connection, reconnected, and is open while the
      // killed one sends its INSERT (and then its ROLLBACK): neither may reach this session.
      const second = pausedTransaction((tx) => tx`INSERT INTO rows_written VALUES (2)`);
      await second.pid;
      first.go();
      await expect(first.later).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
      second.go();
      await second.done;
      expect(await written()).toEqual([2]);
      expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });

    it("fails a COPY opened after its connection was killed", async () => {
      const copy = pausedTransaction(async (tx) => {
        const query = tx.unsafe("COPY rows_written (n) FROM STDIN");
        const stream = await query.writable();
        stream.end("3\n");
        return query;
      });
      await kill(await copy.pid);
      await expect(copy.done).rejects.toBeDefined();
      copy.go();
      await expect(copy.later).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
      expect(await written()).toEqual([]);
      expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });

    it("fails a COPY whose connection is killed while the server ingests it", async () => {
      // An uncommitted row with the key of the COPY's second row: the COPY waits for it.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holderPid = 0;
      const holder = killer.begin(async (tx) => {
        holderPid = (await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]?.pid ?? 0;
        await tx`INSERT INTO rows_written VALUES (7)`;
        await released;
        throw new Error("rolled back");
      });
      holder.catch(() => {});
      while (!holderPid) await new Promise((resolve) => setTimeout(resolve, 5));
      const copying = sql.begin(async (tx) => {
        const query = tx.unsafe("COPY rows_written (n) FROM STDIN");
        const stream = await query.writable();
        stream.on("error", () => {});
        stream.end("6\n7\n");
        return query;
      });
      copying.catch(() => {});
      let waiting: { pid: number }[] = [];
      while (waiting.length === 0) {
        waiting = await killer<{ pid: number }[]>`
          SELECT pid FROM pg_stat_activity WHERE ${holderPid}::int = ANY(pg_blocking_pids(pid))`;
      }
      await kill((waiting[0] as { pid: number }).pid);
      await expect(copying).rejects.toBeDefined();
      release();
      await holder.catch(() => {});
      expect(await written()).toEqual([]);
      expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });
  },
);
