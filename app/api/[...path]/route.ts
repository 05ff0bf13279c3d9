import { AppError } from "../../../lib/server/http/app-error";
import { route } from "../../../lib/server/http/route-handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Any /api path no route serves: 404 in the envelope, not the app's HTML page. */
const notFound = route<{ path: string[] }>(async (request) => {
  const { pathname } = new URL(request.url);
  throw new AppError("NOT_FOUND", `No API route at ${pathname}`, { path: pathname });
});

export {
  notFound as DELETE,
  notFound as GET,
  notFound as PATCH,
  notFound as POST,
  notFound as PUT,
};
