/**
 * The import thread (see import-thread.ts): parses, validates and runs the big-body routes on its
 * own Postgres connections, so a 100k-reading import never stalls the server's event loop, and
 * its garbage collection pauses are its own. Answers are JSON text (one string crosses threads
 * cheaply; a 100k-decision plan as objects would be copied field by field).
 */
import "server-only";
import { parentPort, workerData } from "node:worker_threads";
import { createDb, type DbClient } from "../../../db/client";
import { dryRunRequestSchema, eventsRequestSchema } from "../../api/erp-schemas";
import { setDefaultSliceMs } from "../../engine/cooperative";
import { AppError } from "../http/app-error";
import { unavailableAsAppError } from "../http/database-unavailable";
import { internalError } from "../http/internal-error";
import { parseBody } from "../http/route-handler";
import { Stopwatch } from "../platform/stopwatch";
import { processEvents } from "./event-service";
import type { ThreadJob, ThreadReply, ThreadWorkerData } from "./import-thread";
import { keepThreadAlive } from "./keep-thread-alive";
import { dryRunUseCase } from "./preview-service";

/** Milliseconds of work between macrotask breaks on this thread (20 elsewhere). */
const IMPORT_THREAD_SLICE_MS = 4;

keepThreadAlive("the import thread");
// This thread's event loop serves only its own connections: plans and COPY texts are made in
// short slices, so the database's answers and the next statements are taken up within a few
// milliseconds, and the server writes what is planned while the plan goes on.
setDefaultSliceMs(IMPORT_THREAD_SLICE_MS);
const { url, schema, max } = workerData as ThreadWorkerData;
const client = createDb({ url, schema, max });

const handlers: Record<
  ThreadJob["kind"],
  (db: DbClient, job: ThreadJob, raw: Buffer) => Promise<unknown>
> = {
  events: async (db, job, raw) =>
    processEvents(db, job.integrationId, await parse(raw, eventsRequestSchema), raw),
  "dry-run": async (db, job, raw) =>
    dryRunUseCase(db, job.integrationId, job.slug ?? "", await parse(raw, dryRunRequestSchema)),
};

async function parse<S extends Parameters<typeof parseBody>[1]>(raw: Buffer, bodySchema: S) {
  const watch = new Stopwatch();
  // One native parse: on this thread it blocks nobody.
  const value = await parseBody(raw, bodySchema);
  watch.lap(`parse ${raw.byteLength} bytes`);
  watch.report("request body (import thread)");
  return value;
}

async function run(job: ThreadJob): Promise<ThreadReply> {
  try {
    const value = await handlers[job.kind](
      client,
      job,
      Buffer.from(job.body, job.offset, job.length),
    );
    return { id: job.id, ok: true, json: JSON.stringify(value) };
  } catch (thrown) {
    // A lost connection outside an event's own transaction fails the request with a 503.
    const error = unavailableAsAppError(thrown);
    if (error instanceof AppError) {
      const { code, message, details } = error;
      return { id: job.id, ok: false, error: { code, message, details } };
    }
    const { code, message, details } = internalError(error, "the import thread");
    return { id: job.id, ok: false, error: { code, message, details } };
  }
}

parentPort?.on("message", (message: ThreadJob) => {
  void run(message).then((reply) => parentPort?.postMessage(reply));
});
