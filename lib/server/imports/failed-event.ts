import "server-only";
import type { DbClient } from "../../../db/client";
import { findInboundEventStatus, insertInboundEvent } from "../../../db/repository";
import type { EventResult } from "../../api/erp-schemas";
import { AppError } from "../http/app-error";
import { isDatabaseUnavailable } from "../http/database-unavailable";
import { internalError } from "../http/internal-error";

type EventRecord = Omit<Parameters<typeof insertInboundEvent>[1], "status">;

/** Pauses before each new try of a statement whose connection was lost (the pool reconnects). */
const RETRY_DELAYS_MS = [0, 50, 250, 1000];

/**
 * Runs a statement on the pool again while its connection is lost: the connection a killed
 * import used is replaced on the next use, and another one may have died with it.
 */
async function onHealthyConnection<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt + 1];
      if (delay === undefined || !isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function failure(index: number, error: unknown, slug?: string): EventResult {
  const lost = isDatabaseUnavailable(error);
  if (lost) console.error(`[mms] event ${index}: the database connection was lost:`, error);
  const known = error instanceof AppError && error.code !== "INTERNAL" ? error : null;
  // Anything unplanned is a bug: logged under an error id that the event's result names.
  const bug = lost || known ? null : internalError(error, `event ${index}`);
  return {
    index,
    status: "error",
    ...(slug ? { use_case_slug: slug } : {}),
    message: lost
      ? "The database connection was lost during the import; nothing was written. Send the event again."
      : known
        ? known.message
        : `The import failed; nothing was written (error id ${bug?.details.error_id})`,
    error: {
      code: lost ? "DATABASE_CONNECTION_LOST" : (known?.code ?? "IMPORT_FAILED"),
      details: known?.details ?? bug?.details ?? {},
    },
  };
}

/**
 * The result of an event whose transaction failed (rolled back): the event is recorded as failed,
 * with its request, so its payload can be replayed. The record goes through the pool on a
 * connection that works, never on the failed transaction's.
 */
export async function recordFailedEvent(
  client: DbClient,
  record: EventRecord,
  index: number,
  error: unknown,
  slug?: string,
): Promise<EventResult> {
  const result = failure(index, error, slug);
  // The code and message are kept with the event: support filters and reads them later.
  const { id } = await onHealthyConnection(() =>
    insertInboundEvent(client.db, {
      ...record,
      status: "error",
      errorCode: result.error?.code ?? null,
      errorMessage: result.message ?? null,
    }),
  );
  return { ...result, event_id: id };
}

/**
 * Whether a transaction that lost its connection while committing did commit: its event row says
 * (the COMMIT may have been carried out before the connection went).
 */
export async function committedAfterAll(client: DbClient, eventId: string): Promise<boolean> {
  const status = await onHealthyConnection(() => findInboundEventStatus(client.db, eventId));
  return status === "success";
}
