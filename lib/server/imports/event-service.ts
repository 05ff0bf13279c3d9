import "server-only";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { sql } from "drizzle-orm";
import type { DbClient } from "../../../db/client";
import {
  findInboundEventWithBody,
  findRecentEvent,
  findUseCaseByEventName,
  findUseCaseBySlug,
  insertInboundEvent,
  insertInboundRequest,
  LOCK_CLASS,
  latestVersion,
  lockKeys,
  setInboundRequestBody,
} from "../../../db/repository";
import {
  type EventResult,
  type EventsRequest,
  eventsRequestSchema,
  type InboundEvent,
} from "../../api/erp-schemas";
import { prepareImport } from "../../engine";
import { parseJson } from "../../json/parse-json";
import { AppError } from "../http/app-error";
import { isDatabaseUnavailable } from "../http/database-unavailable";
import { loadIntegrationVariables } from "../integrations/integration-variables";
import { Stopwatch } from "../platform/stopwatch";
import { committedAfterAll, recordFailedEvent } from "./failed-event";
import {
  applyPrepared,
  compileOrThrow,
  registerLookups,
  sweepExpiredEntities,
} from "./import-service";
import { requestBudget } from "./request-budget";
import { xmlPayload } from "./xml-payload";

const DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

async function eventPayload(event: InboundEvent): Promise<unknown> {
  if (event.format === "xml") return xmlPayload(event.payload, "The event payload");
  if (typeof event.payload !== "string") return event.payload;
  const parsed = parseJson(event.payload);
  if (!parsed.ok) {
    const { message, offset, line, column } = parsed.error;
    throw new AppError(
      "PAYLOAD_INVALID",
      `The event payload string is not valid JSON: ${message}`,
      { position: offset, line, column },
    );
  }
  if (parsed.value === null || typeof parsed.value !== "object") {
    throw new AppError("PAYLOAD_INVALID", "The event payload must be a JSON object or array");
  }
  return parsed.value;
}

/**
 * One event, in its own transaction: route it to a use case, skip it when its deduplication id
 * was processed within 24 hours, run the published configuration, and record the event with its
 * payload (also when it fails, so it can be replayed).
 */
async function processEvent(
  client: DbClient,
  integrationId: string,
  correlationId: string | null,
  requestId: string,
  event: InboundEvent,
  index: number,
): Promise<EventResult> {
  const useCase = event.use_case_slug
    ? await findUseCaseBySlug(client.db, integrationId, event.use_case_slug)
    : await findUseCaseByEventName(client.db, integrationId, event.event_name as string);
  const record = {
    integrationId,
    correlationId,
    deduplicationId: event.deduplication_id ?? null,
    eventName: event.event_name ?? null,
    useCaseSlug: event.use_case_slug ?? null,
    requestId,
    eventIndex: index,
  };
  if (!useCase) {
    const { id } = await insertInboundEvent(client.db, { ...record, status: "ignored" });
    return { index, status: "ignored", event_id: id, message: "No use case matches this event" };
  }
  const slug = useCase.slug;
  let payload: unknown;
  // Set once the transaction's work is done: a connection lost after that may have committed.
  let committing: { eventId: string; result: EventResult } | null = null;
  try {
    payload = await eventPayload(event);
    const version = await latestVersion(client.db, useCase.id);
    if (!version)
      throw new AppError("NOT_FOUND", `Use case "${slug}" has no published configuration`, {
        use_case_slug: slug,
      });
    const watch = new Stopwatch();
    const prepared = await prepareImport(compileOrThrow(version.config), payload, {
      budget: requestBudget(),
      variables: await loadIntegrationVariables(client.db, integrationId),
    });
    watch.lap("prepare");
    await sweepExpiredEntities(client.db);
    await registerLookups(client.db, prepared);
    watch.lap("lookups registered");
    const answer = await client.db.transaction(async (tx) => {
      if (event.deduplication_id) {
        await lockKeys(tx, LOCK_CLASS.deduplication, [
          `${integrationId}\u0000${event.deduplication_id}`,
        ]);
        const earlier = await findRecentEvent(
          tx,
          integrationId,
          event.deduplication_id,
          new Date(Date.now() - DEDUP_WINDOW_MS),
        );
        // A skip points at the import that ran (its importId); without this, the third post of
        // an event would see the second's "skipped" row and run again.
        if (earlier && (earlier.status === "success" || earlier.status === "skipped")) {
          const { id } = await insertInboundEvent(tx, {
            ...record,
            useCaseId: useCase.id,
            status: "skipped",
            importId: earlier.importId,
          });
          return {
            index,
            status: "skipped" as const,
            use_case_slug: slug,
            event_id: id,
            ...(earlier.importId ? { import_id: earlier.importId } : {}),
            message: `Already processed at ${earlier.receivedAt.toISOString()} (same deduplication_id)`,
          };
        }
      }
      const { id: eventId } = await insertInboundEvent(tx, {
        ...record,
        useCaseId: useCase.id,
        status: "processing",
      });
      const outcome = await applyPrepared(tx, prepared, {
        useCaseId: useCase.id,
        config: version.config,
        configVersion: { id: version.id, version: version.version },
        payload,
        trigger: "api",
        inboundEventId: eventId,
      });
      await tx.execute(
        sql`UPDATE inbound_events SET status = 'success', import_id = ${outcome.importId} WHERE id = ${eventId}`,
      );
      const result: EventResult = {
        index,
        status: "success",
        use_case_slug: slug,
        event_id: eventId,
        import_id: outcome.importId,
        summary: outcome.plan.summary,
      };
      committing = { eventId, result };
      return result;
    });
    watch.lap("imported and committed");
    watch.report(`event ${index}`);
    return answer;
  } catch (error) {
    if (committing && isDatabaseUnavailable(error)) {
      const { eventId, result } = committing;
      if (await committedAfterAll(client, eventId)) return result;
    }
    // The transaction rolled back: record the failed event with its payload, so nothing is lost.
    return recordFailedEvent(client, { ...record, useCaseId: useCase.id }, index, error, slug);
  }
}

/**
 * POST /api/v1/erp/updates/events: every event gets its own result, in order. The request's raw
 * body is kept (gzipped on the thread pool while the events run) so each event's payload can be
 * shown and replayed exactly as it was sent.
 */
export async function processEvents(
  client: DbClient,
  integrationId: string,
  request: EventsRequest,
  rawBody: Buffer = Buffer.from(JSON.stringify(request)),
) {
  if (request.integration_id !== integrationId) {
    throw new AppError("FORBIDDEN", "The API key does not belong to this integration", {
      integration_id: request.integration_id,
    });
  }
  const correlationId = request.correlation_id ?? null;
  const { id: requestId } = await insertInboundRequest(client.db, {
    integrationId,
    correlationId,
    bodyBytes: rawBody.byteLength,
  });
  // The events' results stand whatever happens to this copy: a failure to keep it is logged,
  // never turned into an error for events that were imported.
  const bodyStored = gzipAsync(rawBody, { level: 1 })
    .then((body) => setInboundRequestBody(client.db, requestId, body))
    .catch((error: unknown) => {
      console.error(`[mms] could not keep the body of request ${requestId}:`, error);
    });
  const results: EventResult[] = [];
  for (const [index, event] of request.events.entries()) {
    results.push(await processEvent(client, integrationId, correlationId, requestId, event, index));
  }
  await bodyStored;
  return { status: "ok" as const, correlation_id: correlationId, results };
}

/**
 * The payload of a stored event exactly as its request sent it: an object, or the string that
 * should have held JSON or XML (null when the event has no stored request).
 */
export async function storedEventPayload(client: DbClient, eventId: string): Promise<unknown> {
  const row = await findInboundEventWithBody(client.db, eventId);
  if (!row?.body || row.event.eventIndex === null) return null;
  const body = JSON.parse((await gunzipAsync(row.body)).toString("utf8"));
  const request = eventsRequestSchema.parse(body);
  const event = request.events[row.event.eventIndex];
  return event ? event.payload : null;
}
