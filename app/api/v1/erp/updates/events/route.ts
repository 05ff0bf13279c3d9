import { getDb } from "../../../../../../db/client";
import { eventsRequestSchema } from "../../../../../../lib/api/erp-schemas";
import {
  authenticateRequest,
  otherMethods,
  readBodyAndBytes,
  readRawBody,
  route,
} from "../../../../../../lib/server/http/route-handler";
import { processEvents } from "../../../../../../lib/server/imports/event-service";
import { runOnImportThread } from "../../../../../../lib/server/imports/import-thread";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * SPEC 5: the ERP's events, each routed to a use case and imported in its own transaction, on
 * the import thread when the database is a Postgres server (runOnImportThread).
 */
export const POST = route(async (request) => {
  const { integrationId } = await authenticateRequest(request);
  const client = getDb();
  if (client.kind === "postgres")
    return runOnImportThread(client, { kind: "events", integrationId }, await readRawBody(request));
  const { data, raw } = await readBodyAndBytes(request, eventsRequestSchema);
  return processEvents(client, integrationId, data, raw);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
