import { openApiDocument } from "../../../../lib/api/openapi";
import { route } from "../../../../lib/server/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 description of the API, generated from the schemas that validate it. */
export const GET = route(async () => openApiDocument());
