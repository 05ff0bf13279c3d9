import { getDb } from "../../../../../../db/client";
import { dryRunRequestSchema } from "../../../../../../lib/api/erp-schemas";
import { dryRunUseCase } from "../../../../../../lib/server/preview-service";
import { authenticateRequest, readBody, route } from "../../../../../../lib/server/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The full plan of a payload against the stored state, as an import would apply it; writes nothing. */
export const POST = route<{ slug: string }>(async (request, { slug }) => {
  const { integrationId } = await authenticateRequest(request);
  const body = await readBody(request, dryRunRequestSchema);
  return dryRunUseCase(getDb(), integrationId, slug, body);
});
