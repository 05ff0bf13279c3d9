import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { DbClient } from "../../../db/client";
import { findImportRow, findReplayEvent, latestVersion } from "../../../db/repository";
import { eventsRequestSchema } from "../../api/erp-schemas";
import { parseJson } from "../../json/parse-json";
import { AppError } from "../http/app-error";

const gunzipAsync = promisify(gunzip);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ReplayConfigChoice = "published" | "draft";

/** The configuration a replay runs: the latest published version, or the draft as saved. */
export interface ReplayConfig {
  choice: ReplayConfigChoice;
  config: unknown;
  version: { id: string; version: number; message: string; publishedAt: string } | null;
  /** For the draft: when it was saved (an apply refuses a draft saved again since). */
  draftUpdatedAt: string | null;
}

export interface ReplaySource {
  event: {
    id: string;
    status: string;
    receivedAt: string;
    correlationId: string | null;
    deduplicationId: string | null;
  };
  useCase: { id: string; slug: string; name: string; integrationId: string };
  integrationName: string;
  payload: unknown;
  /** The import the replay is compared with: the one asked for, else the event's (none when it failed). */
  original: NonNullable<Awaited<ReturnType<typeof findImportRow>>> | null;
  draft: { config: unknown; updatedAt: string };
}

function refuse(message: string, details: Record<string, unknown> = {}): never {
  throw new AppError("CONFLICT", message, details);
}

/** The event's payload out of its request's stored body, parsed as the events route parses it. */
async function payloadOf(body: Buffer, eventIndex: number): Promise<unknown> {
  const request = eventsRequestSchema.parse(JSON.parse((await gunzipAsync(body)).toString("utf8")));
  const payload = request.events[eventIndex]?.payload;
  if (typeof payload !== "string") return payload;
  const parsed = parseJson(payload);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== "object") {
    refuse(
      "The event's payload is a string that holds no JSON object or array: replaying it would fail the same way",
    );
  }
  return parsed.value;
}

/**
 * What a replay starts from, found from an event id or an import id (an import is replayed
 * through the event it ran for; it is also what the replay is compared with).
 */
export async function loadReplaySource(client: DbClient, id: string): Promise<ReplaySource> {
  if (!UUID.test(id)) throw new AppError("NOT_FOUND", "No such event or import", { id });
  const asImport = await findImportRow(client.db, id);
  const eventId = asImport ? asImport.inboundEventId : id;
  if (asImport && !eventId) {
    refuse(
      `This import ran without an ERP event (trigger ${asImport.trigger}): no payload was kept to replay`,
    );
  }
  const row = await findReplayEvent(client.db, eventId as string);
  if (!row) throw new AppError("NOT_FOUND", "No such event or import", { id });
  const { event, body, useCase } = row;
  if (!useCase) {
    refuse(
      `The event matched no use case (${event.useCaseSlug ? `slug "${event.useCaseSlug}"` : `event name "${event.eventName}"`}): there is no configuration to replay it with`,
    );
  }
  if (!body || event.eventIndex === null)
    refuse("The event's payload was not kept: nothing to replay");
  const originalId = asImport ? asImport.id : event.importId;
  const original = asImport ?? (originalId ? await findImportRow(client.db, originalId) : null);
  return {
    event: {
      id: event.id,
      status: event.status,
      receivedAt: event.receivedAt.toISOString(),
      correlationId: event.correlationId,
      deduplicationId: event.deduplicationId,
    },
    useCase: {
      id: useCase.id,
      slug: useCase.slug,
      name: useCase.name,
      integrationId: useCase.integrationId,
    },
    integrationName: row.integrationName ?? "",
    payload: await payloadOf(body, event.eventIndex),
    original,
    draft: { config: useCase.draftConfig, updatedAt: useCase.draftUpdatedAt.toISOString() },
  };
}

/** The configuration chosen for the replay. */
export async function replayConfig(
  client: DbClient,
  source: ReplaySource,
  choice: ReplayConfigChoice,
): Promise<ReplayConfig> {
  if (choice === "draft") {
    return {
      choice,
      config: source.draft.config,
      version: null,
      draftUpdatedAt: source.draft.updatedAt,
    };
  }
  const version = await latestVersion(client.db, source.useCase.id);
  if (!version) refuse(`Use case "${source.useCase.slug}" has no published configuration`);
  return {
    choice,
    config: version.config,
    version: {
      id: version.id,
      version: version.version,
      message: version.message,
      publishedAt: version.publishedAt.toISOString(),
    },
    draftUpdatedAt: null,
  };
}
