import { getDb } from "@/db/client";
import { authFor, isHttps } from "@/lib/server/auth/auth";
import { AppError, errorEnvelope } from "@/lib/server/http/app-error";
import { errorResponse } from "@/lib/server/http/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The library's endpoints that a browser may reach. Everything else it could serve (sign-up,
 * user updates, account deletion, ...) stays closed: accounts are managed on the users page,
 * through the server actions and their audit trail.
 */
const OPEN = new Set([
  "POST /sign-in/email",
  "POST /sign-out",
  "GET /get-session",
  "POST /change-password",
]);

async function handle(request: Request): Promise<Response> {
  try {
    const path = new URL(request.url).pathname.replace(/^\/api\/auth/, "");
    if (!OPEN.has(`${request.method} ${path}`)) {
      const error = new AppError("NOT_FOUND", `No such route: ${request.method} /api/auth${path}`);
      return Response.json(errorEnvelope(error), { status: 404 });
    }
    const auth = await authFor(getDb(), isHttps(request.headers, request.url));
    return await auth.handler(request);
  } catch (error) {
    return errorResponse(error);
  }
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
