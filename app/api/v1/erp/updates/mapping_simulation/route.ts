import { mappingSimulationRequestSchema } from "../../../../../../lib/api/erp-schemas";
import {
  authenticateRequest,
  otherMethods,
  readBody,
  route,
} from "../../../../../../lib/server/http/route-handler";
import { simulateMappingRequest } from "../../../../../../lib/server/imports/preview-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** SPEC 5: what a configuration maps out of a payload; reads and writes no data. */
export const POST = route(async (request) => {
  await authenticateRequest(request);
  const body = await readBody(request, mappingSimulationRequestSchema);
  return simulateMappingRequest(body.event_configuration, body.payload, body.format);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
