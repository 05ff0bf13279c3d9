import { type NextRequest, NextResponse } from "next/server";

/**
 * A path escape that does not decode (`/api/v1/use-cases/%zz/dry-run`) failed inside Next's
 * router with a plain-text 500 before any route ran. Such a path is refused here, in the error
 * envelope, with the status it deserves.
 */
export function proxy(request: NextRequest) {
  const raw = request.url.slice(request.url.indexOf("/", request.url.indexOf("//") + 2));
  const path = raw.split(/[?#]/, 1)[0] ?? "";
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return NextResponse.next();
  } catch {
    return NextResponse.json(
      {
        status: "error",
        message: "The request path holds a percent escape that does not decode (e.g. %zz)",
        error: { code: "BAD_PATH", details: { path } },
      },
      { status: 400 },
    );
  }
}

// Only paths with a percent escape: Next buffers the body of every request a proxy sees (and cut
// it at 10 MB by default), which would cost the 20 MB imports a copy or break them.
export const config = { matcher: "/api/:rest(.*%.*)" };
