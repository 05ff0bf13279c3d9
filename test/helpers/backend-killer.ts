import { sql } from "drizzle-orm";
import { createDb, type Db, type DbClient } from "../../db/client";
import { query } from "../../db/repository";

/**
 * A connection of the test's own that holds something an import will wait for (an advisory lock,
 * a table lock, an uncommitted row), then finds the backend waiting on it and terminates it:
 * the way to kill exactly one import's connection, at a known point, on a server that other
 * suites use at the same time.
 */
export class BackendKiller {
  private readonly client: DbClient;
  private holder: { pid: number; release: () => void; done: Promise<unknown> } | null = null;

  constructor(url: string, schema: string | undefined) {
    this.client = createDb({ url, schema, max: 3 });
  }

  /** Opens a transaction that runs `hold` and stays open until `release()`. */
  async hold(hold: (tx: Db) => Promise<unknown>): Promise<void> {
    if (this.holder) throw new Error("BackendKiller: already holding");
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let ready: (pid: number) => void = () => {};
    let failed: (error: unknown) => void = () => {};
    const holding = new Promise<number>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    const done = this.client.db
      .transaction(async (tx) => {
        const [row] = await query<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
        await hold(tx);
        ready(row?.pid as number);
        await released;
        // Roll back whatever was held (an uncommitted row must never land).
        throw new Error("released");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.message === "released")) failed(error);
      });
    this.holder = { pid: await holding, release, done };
  }

  /** The backends waiting for what this killer holds (polled until there are `count`). */
  async waiting(count = 1, timeoutMs = 20_000): Promise<number[]> {
    const holder = this.holder;
    if (!holder) throw new Error("BackendKiller: nothing held");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await query<{ pid: number }>(
        this.client.db,
        sql`SELECT pid FROM pg_stat_activity WHERE ${holder.pid}::int = ANY(pg_blocking_pids(pid))`,
      );
      if (rows.length >= count) return rows.map((r) => r.pid);
      if (Date.now() > deadline) throw new Error(`no backend waits for ${holder.pid}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Terminates the backend waiting for what is held (as an operator's pg_terminate_backend). */
  async killWaiting(): Promise<number> {
    const [pid] = await this.waiting(1);
    await query(this.client.db, sql`SELECT pg_terminate_backend(${pid as number}::int)`);
    return pid as number;
  }

  /** Ends the holding transaction (rolled back). */
  async release(): Promise<void> {
    const holder = this.holder;
    this.holder = null;
    if (!holder) return;
    holder.release();
    await holder.done;
  }

  async close(): Promise<void> {
    await this.release();
    await this.client.close();
  }
}
