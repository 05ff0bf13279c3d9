import "server-only";
import type { DbClient } from "../../../db/client";
import { storedEventPayload } from "../imports/event-service";
import { isUuid } from "./uuid";

/**
 * An event's payload as text for the viewer and the download: a string payload (XML, or JSON
 * sent as a string) exactly as sent, an object or array indented. Null when nothing is stored.
 */
export async function eventPayloadText(client: DbClient, eventId: string): Promise<string | null> {
  if (!isUuid(eventId)) return null;
  const payload = await storedEventPayload(client, eventId);
  if (payload === null || payload === undefined) return null;
  return typeof payload === "string" ? payload : JSON.stringify(payload, null, 2);
}
