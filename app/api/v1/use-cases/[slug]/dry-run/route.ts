import { getDb } from "../../../../../../db/client";
import { dryRunRequestSchema } from "../../../../../../lib/api/erp-schemas";
import {
  authenticateRequest,
  otherMethods,
  readBody,
  readRawBody,
  route,
} from "../../../../../../lib/server/http/route-handler";
import { runOnImportThread } from "../../../../../../lib/server/imports/import-thread";
import { dryRunUseCase } from "../../../../../../lib/server/imports/preview-service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The full plan of a payload against the stored state, as an import would apply it; writes
 * nothing. On the import thread when the database is a Postgres server (runOnImportThread).
 */
export const POST = route<{ slug: string }>(async (request, { slug }) => {
  const { integrationId } = await authenticateRequest(request);
  const client = getDb();
  if (client.kind === "postgres")
    return runOnImportThread(
      client,
      { kind: "dry-run", integrationId, slug },
      await readRawBody(request),
    );
  const body = await readBody(request, dryRunRequestSchema);
  return dryRunUseCase(client, integrationId, slug, body);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
