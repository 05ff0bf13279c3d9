import { getDb } from "../../../../../../db/client";
import { mappingSimulationRequestSchema } from "../../../../../../lib/api/erp-schemas";
import {
  authenticateRequest,
  otherMethods,
  readBody,
  route,
} from "../../../../../../lib/server/http/route-handler";
import { simulateMappingRequest } from "../../../../../../lib/server/imports/preview-service";
import { loadIntegrationVariables } from "../../../../../../lib/server/integrations/integration-variables";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** SPEC 5: what a configuration maps out of a payload; reads and writes no data. */
export const POST = route(async (request) => {
  const { integrationId } = await authenticateRequest(request);
  const body = await readBody(request, mappingSimulationRequestSchema);
  // env_var_ref reads the API key's integration's variables.
  const variables = await loadIntegrationVariables(getDb().db, integrationId);
  return simulateMappingRequest(body.event_configuration, body.payload, body.format, variables);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
