import { once } from "node:events";
import type { Writable } from "node:stream";
import { defaultSlice } from "../../lib/engine/cooperative";
import type { Db } from "../client";
import { driverOf, type PostgresJsClient } from "./driver";
import { breathe } from "./sql-json";

const SPECIAL = /[\\\t\n\r]/;

/** One text-format COPY field: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "object") {
    // JSON text has no raw tabs or line breaks; only its backslashes need doubling.
    const json = JSON.stringify(value);
    return json.includes("\\") ? json.replace(/\\/g, "\\\\") : json;
  }
  const text = String(value);
  return SPECIAL.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

/**
 * A `COPY ... FROM STDIN` on a Postgres connection that takes text as it comes: `write` queues a
 * piece (sent once the server is ready for it, in order), `end` finishes it and waits for the
 * server, `abort` cancels it (CopyFail) so the connection can roll back. While it is open, the
 * connection takes no other statement (postgres-js refuses them): send what must run first
 * before opening it.
 */
export class CopyIn {
  private readonly opened: Promise<Writable>;
  private readonly failed: Promise<never>;
  /** Set once the COPY failed: its stream is never written to again. */
  private failure: { error: unknown } | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Characters written but not yet handed to the connection (it is busy, or not open yet). */
  private waiting = 0;

  constructor(client: PostgresJsClient, statement: string) {
    let reject: (error: unknown) => void = () => {};
    this.failed = new Promise<never>((_, rejectFailed) => {
      reject = rejectFailed;
    });
    this.failed.catch(() => {});
    const fail = (error: unknown) => {
      this.failure ??= { error };
      reject(error);
    };
    const query = client.unsafe(statement);
    // postgres.js settles a COPY's statement when the server is ready for data; an error the
    // server reports after the stream has ended (a unique key, a trigger) reaches neither the
    // stream nor that promise, and the COPY would wait forever with its connection
    // (porsager/postgres#1173). The connection fails the statement through `reject`: listen there.
    // A connection that closes fails it there too, whether the COPY was open yet or not.
    const rejectQuery = query.reject;
    if (typeof rejectQuery === "function")
      query.reject = (error) => {
        fail(error);
        rejectQuery(error);
      };
    this.opened = query.writable().then((stream) => {
      // The statement settles with a stream only if the server answered it as a COPY; anything
      // else means the connection's answers and statements are out of step.
      if (typeof (stream as Partial<Writable> | null)?.once !== "function")
        throw new Error(`${statement}: the connection did not open a COPY`);
      return stream;
    });
    this.opened.then((stream) => stream.on("error", fail), fail);
  }

  private stream(): Promise<Writable> {
    if (this.failure) return Promise.reject(this.failure.error);
    return Promise.race([this.opened, this.failed]);
  }

  write(text: string) {
    this.waiting += text.length;
    this.queue = this.queue.then(async () => {
      const stream = await this.stream();
      this.waiting -= text.length;
      if (!stream.write(text)) await Promise.race([once(stream, "drain"), this.failed]);
    });
    this.queue.catch(() => {});
  }

  /** Whether the writes so far have been handed to the connection (wait before building more). */
  written(): Promise<void> {
    return this.queue;
  }

  /** How many characters wait for the connection; throws once the COPY failed. */
  backlog(): number {
    if (this.failure) throw this.failure.error;
    return this.waiting;
  }

  /**
   * Ends the COPY: resolves once its end is sent, when the connection takes statements again (the
   * server runs them after the COPY), with `done` for the server's answer to it.
   */
  async close(): Promise<{ done: Promise<void> }> {
    await this.queue;
    const stream = await this.stream();
    const sent = endSent(stream);
    const finished = once(stream, "finish");
    stream.end();
    const done = Promise.race([finished, this.failed]).then(() => {});
    done.catch(() => {});
    await Promise.race([sent, done]);
    return { done };
  }

  async end(): Promise<void> {
    await (await this.close()).done;
  }

  /** Cancels the COPY (the server rolls it back) and waits until the connection is free again. */
  async abort(reason: unknown): Promise<void> {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    try {
      const stream = await this.stream();
      const closed = once(stream, "close");
      stream.destroy(error);
      await Promise.race([closed, this.failed]);
    } catch {
      // It had failed already.
    }
  }
}

/**
 * Resolves once postgres.js has sent a COPY's end (CopyDone): it does so in its stream's `_final`,
 * which also frees the connection for the next statement, and settles the stream only when the
 * server answers. Never resolves without that hook (the caller also waits for the answer).
 */
function endSent(stream: Writable): Promise<void> {
  const s = stream as Writable & { _final?: (callback: (error?: Error | null) => void) => void };
  const final = s._final;
  if (typeof final !== "function") return new Promise<void>(() => {});
  return new Promise<void>((resolve) => {
    s._final = (callback) => {
      final.call(stream, callback);
      resolve();
    };
  });
}

/** Rows built between two looks at the clock while a COPY's text is made. */
const ROWS_PER_LOOK = 100;

/**
 * Text built ahead of the connection, at most (characters): a COPY queued behind a statement the
 * server is still running (an import's update) has its text made meanwhile, so it streams at once
 * when its turn comes; building further waits for the connection.
 */
const AHEAD_CHARS = 16 * 1024 * 1024;

/**
 * One COPY of many rows whose text is built slice by slice (`slice(start, end)` returns the lines
 * of rows start..end-1): on Postgres each slice goes to the server as soon as it can take it, so
 * the server ingests one slice while the next is built, and slices are built ahead while the
 * statements before the COPY still run. A slice is at most `size` rows and ends once building it
 * took a slice's time (defaultSlice): no slice blocks the event loop for long, and the server gets
 * its first rows at once, even when what else this thread does is waiting for its turn.
 */
export async function copyLines(...args: Parameters<typeof sendCopyLines>) {
  await (await sendCopyLines(...args)).done;
}

/**
 * copyLines, resolved once the COPY's last rows and its end are sent: the next statement can go
 * right behind it (the server runs it after the COPY, with no round trip between), `done` settles
 * with the server's answer. On PGlite, once it has run.
 */
export async function sendCopyLines(
  tx: Db,
  table: string,
  columns: readonly string[],
  count: number,
  slice: (start: number, end: number) => string,
  size = 5000,
): Promise<{ done: Promise<void> }> {
  if (count === 0) return { done: Promise.resolve() };
  const driver = driverOf(tx);
  const statement = `COPY ${table} (${columns.join(", ")}) FROM`;
  if (driver.kind === "postgres") {
    const copy = new CopyIn(driver.client, `${statement} STDIN`);
    const budget = defaultSlice();
    try {
      for (let start = 0; start < count; ) {
        if (start > 0) {
          // Ahead of the connection up to AHEAD_CHARS, with a macrotask break between slices.
          if (copy.backlog() > AHEAD_CHARS) await copy.written();
          await breathe();
        }
        const began = performance.now();
        const limit = Math.min(count, start + size);
        // Joined into one flat string: built by `+=`, each line is a tree of string pieces several
        // times its size, and a slice waiting for the connection (behind an update) kept every
        // tree alive through young-generation collections.
        const pieces: string[] = [];
        let end = start;
        while (end < limit && (end === start || performance.now() - began < budget)) {
          const next = Math.min(limit, end + ROWS_PER_LOOK);
          pieces.push(slice(end, next));
          end = next;
        }
        copy.write(pieces.join(""));
        start = end;
      }
      return await copy.close();
    } catch (error) {
      await copy.abort(error);
      throw error;
    }
  }
  // PGlite runs each statement synchronously on this thread: one COPY per slice keeps every
  // pause short (see rowsPerStatement).
  for (let start = 0; start < count; start += size) {
    if (start > 0) await breathe();
    const text = slice(start, Math.min(count, start + size));
    if (text === "") continue;
    await driver.client.query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
  }
  return { done: Promise.resolve() };
}
