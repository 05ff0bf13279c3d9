import { openApiDocument } from "../../../../lib/api/openapi";
import { otherMethods, route } from "../../../../lib/server/http/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 description of the API, generated from the schemas that validate it. */
export const GET = route(async () => openApiDocument());

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
