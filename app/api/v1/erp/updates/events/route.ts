import { getDb } from "../../../../../../db/client";
import { eventsRequestSchema } from "../../../../../../lib/api/erp-schemas";
import { processEvents } from "../../../../../../lib/server/event-service";
import {
  authenticateRequest,
  readBodyAndBytes,
  route,
} from "../../../../../../lib/server/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** SPEC 5: the ERP's events, each routed to a use case and imported in its own transaction. */
export const POST = route(async (request) => {
  const { integrationId } = await authenticateRequest(request);
  const { data, raw } = await readBodyAndBytes(request, eventsRequestSchema);
  return processEvents(getDb(), integrationId, data, raw);
});
