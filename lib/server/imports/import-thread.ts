import "server-only";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import type { DbClient } from "../../../db/client";
import { AppError, type ErrorCode } from "../http/app-error";

export interface ThreadWorkerData {
  url: string;
  schema: string | undefined;
  max: number;
}

export interface ThreadJob {
  id: number;
  kind: "events" | "dry-run";
  integrationId: string;
  /** The use case of a dry run. */
  slug?: string;
  /** The memory holding the request body, transferred (not copied) to the thread. */
  body: ArrayBuffer;
  /** Where in `body` the request body's bytes are. */
  offset: number;
  length: number;
}

export type ThreadReply =
  | { id: number; ok: true; json: string }
  | {
      id: number;
      ok: false;
      /** null: an unexpected failure, logged by the thread. */
      error: { code: ErrorCode; message: string; details: Record<string, unknown> } | null;
    };

type PostgresClient = Extract<DbClient, { kind: "postgres" }>;

/** The thread's own connection pool (the server's stays for everything else). */
const THREAD_CONNECTIONS = 5;

function unexpected(): AppError {
  return new AppError("INTERNAL", "An unexpected error occurred on the server");
}

/**
 * The answer to a request the thread was running when it stopped. Its imports rolled back with
 * the thread's connections, unless one was committing; sending the request again is safe (an
 * event already imported is skipped by its deduplication_id, or its readings come back unchanged).
 */
function threadStopped(): AppError {
  return new AppError(
    "IMPORT_THREAD_RESTARTED",
    "The import thread stopped while this request ran and is being restarted; send the request again",
  );
}

/** A thread that dies younger than this is not restarted at once (it may fail at every start). */
const RESTART_AFTER_MS = 5_000;

/**
 * The thread's heap starts with room for a 100k-reading import (about 300 MB live at its peak),
 * so such an import runs without a full garbage collection: marking a heap that size took about
 * 250 ms of a 2-core machine's CPU while the import needed it. V8 reads the flag when it creates
 * an isolate (the server's own has been created already); the heap still grows and shrinks.
 */
const THREAD_INITIAL_OLD_SPACE_MB = 512;

/**
 * The thread's young generation may grow to semi-spaces of this size (V8's default is 16 MB): an
 * import's plan keeps most of what it allocates until it is written, and with small semi-spaces
 * every scavenge copied it again. For a 40k-entity import, scavenges took 554 ms in 37 pauses at
 * the default and 280 ms in 10 at 64 MB (128 MB gained nothing more).
 */
const THREAD_MAX_SEMI_SPACE_MB = 64;

function startWorker(workerData: ThreadWorkerData): Worker {
  setFlagsFromString(`--initial-old-space-size=${THREAD_INITIAL_OLD_SPACE_MB}`);
  setFlagsFromString(`--max-semi-space-size=${THREAD_MAX_SEMI_SPACE_MB}`);
  if (import.meta.url.endsWith(".ts")) {
    // Running from the sources (vitest, tsx): Node cannot load TypeScript itself, so the thread
    // registers tsx first, as the process running the sources did.
    const entry = JSON.stringify(import.meta.url.replace(/[^/]*$/, "import-thread-worker.ts"));
    return new Worker(
      `import("tsx/esm/api").then((t) => { t.register(); return import(${entry}); })`,
      { eval: true, workerData, execArgv: ["--conditions=react-server"] },
    );
  }
  // In the built server, Turbopack bundles the thread's code from this reference.
  return new Worker(new URL("./import-thread-worker.ts", import.meta.url), { workerData });
}

class ImportThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (json: string) => void; reject: (error: unknown) => void }
  >();
  private nextId = 1;
  private ended = false;
  readonly startedAt = Date.now();

  constructor(
    data: ThreadWorkerData,
    private readonly onEnd: () => void,
  ) {
    this.worker = startWorker(data);
    // The server's own handles keep the process alive; an idle thread must not.
    this.worker.unref();
    this.worker.on("message", (reply: ThreadReply) => this.settle(reply));
    this.worker.on("error", (error) => {
      console.error("[mms] the import thread failed:", error);
      this.end();
    });
    this.worker.on("exit", () => this.end());
  }

  run(job: Omit<ThreadJob, "id" | "body" | "offset" | "length">, raw: Buffer): Promise<string> {
    const id = this.nextId++;
    // The body's memory moves to the thread without a copy: readBodyBytes gives a view into a
    // buffer of its own. Anything that could sit in Node's shared pool (small buffers) is copied
    // first, since transferring would take the pool away from everyone else.
    const own =
      raw.buffer.byteLength > Buffer.poolSize && !(raw.buffer instanceof SharedArrayBuffer);
    const body = own ? (raw.buffer as ArrayBuffer) : new Uint8Array(raw).buffer;
    const message: ThreadJob = {
      ...job,
      id,
      body,
      offset: own ? raw.byteOffset : 0,
      length: raw.byteLength,
    };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message, [body]);
    });
  }

  private settle(reply: ThreadReply) {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.json);
    else
      waiting.reject(
        reply.error
          ? new AppError(reply.error.code, reply.error.message, reply.error.details)
          : unexpected(),
      );
  }

  /** Tests: stops the thread the way a crash would. */
  stop(): Promise<number> {
    return this.worker.terminate();
  }

  private end() {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    for (const waiting of this.pending.values()) waiting.reject(threadStopped());
    this.pending.clear();
  }
}

const state = globalThis as typeof globalThis & { __mmsImportThreads?: Map<string, ImportThread> };

function threadFor(client: PostgresClient): ImportThread {
  state.__mmsImportThreads ??= new Map();
  const threads = state.__mmsImportThreads;
  const key = `${client.url}\u0000${client.schema ?? ""}`;
  const running = threads.get(key);
  if (running) return running;
  const started: ImportThread = new ImportThread(
    { url: client.url, schema: client.schema, max: THREAD_CONNECTIONS },
    () => {
      if (threads.get(key) !== started) return;
      threads.delete(key);
      // Whatever ended it, the next requests get a fresh thread, loaded ahead of them; one that
      // died right after its start is left to the next request.
      if (Date.now() - started.startedAt >= RESTART_AFTER_MS) threadFor(client);
    },
  );
  threads.set(key, started);
  return started;
}

/** Tests: stops the running import threads as a crash would (the next request starts one). */
export async function stopImportThreadsForTests(): Promise<void> {
  const threads = [...(state.__mmsImportThreads?.values() ?? [])];
  await Promise.all(threads.map((thread) => thread.stop()));
}

/** Starts the import thread ahead of the first request (its code loads in about a second). */
export function startImportThread(client: PostgresClient): void {
  threadFor(client);
}

/**
 * A big-body route on a Postgres server, off the event loop: the import thread parses and
 * validates the body and runs the route's service (`processEvents`, `dryRunUseCase`) on its own
 * connections to the same database and schema. The answer is the service's, as JSON; its
 * errors are the same AppErrors. PGlite lives in the server's thread: its routes run there.
 */
export async function runOnImportThread(
  client: PostgresClient,
  job: Omit<ThreadJob, "id" | "body" | "offset" | "length">,
  raw: Buffer,
): Promise<Response> {
  const json = await threadFor(client).run(job, raw);
  return new Response(json, { headers: { "content-type": "application/json" } });
}
