import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";

/** Same name as PATH_HEADER in lib/server/auth/page-guard.ts (the proxy cannot import server-only code). */
const PATH_HEADER = "x-mms-path";
const PUBLIC_PAGES = ["/sign-in"];

/**
 * In front of every page (never the API routes' bodies, see `config`):
 * - a path escape that does not decode (`/api/v1/use-cases/%zz/dry-run`) failed inside Next's
 *   router with a plain-text 500; it gets 400 BAD_PATH in the error envelope;
 * - a server-action request from another site gets 403 FORBIDDEN in the envelope (Next itself
 *   answered 500), and one without a session cookie 401;
 * - a page request without a session cookie goes to sign-in and comes back after. This is only
 *   the quick answer: every page and action checks the session itself (lib/server/auth).
 */
export function proxy(request: NextRequest) {
  const path = rawPath(request.url);
  if (!decodes(path)) {
    return envelope(
      400,
      "BAD_PATH",
      "The request path holds a percent escape that does not decode (e.g. %zz)",
      { path },
    );
  }
  if (path.startsWith("/api/")) return NextResponse.next();

  if (request.headers.has("next-action")) {
    if (crossSite(request)) {
      return envelope(
        403,
        "FORBIDDEN",
        "Server actions are only accepted from this site's own pages",
        {
          origin: request.headers.get("origin"),
        },
      );
    }
    if (!getSessionCookie(request, { cookiePrefix: "mms" })) {
      return envelope(401, "UNAUTHORIZED", "Sign in first: this action needs a session", {});
    }
    return NextResponse.next();
  }

  const here = path + (request.nextUrl.search ?? "");
  if (!PUBLIC_PAGES.includes(path) && !getSessionCookie(request, { cookiePrefix: "mms" })) {
    const signIn = new URL("/sign-in", request.url);
    if (here !== "/") signIn.searchParams.set("next", here);
    return NextResponse.redirect(signIn);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, here);
  return NextResponse.next({ request: { headers } });
}

function rawPath(url: string): string {
  const raw = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  return raw.split(/[?#]/, 1)[0] ?? "";
}

function decodes(path: string): boolean {
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** An Origin that names another host than the one the request reached (or the opaque "null"). */
function crossSite(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return origin === "null" || new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function envelope(status: number, code: string, message: string, details: Record<string, unknown>) {
  return NextResponse.json({ status: "error", message, error: { code, details } }, { status });
}

/*
 * Pages and their server actions, plus API paths with a percent escape. Next buffers the body of
 * every request a proxy sees (cut at proxyClientMaxBodySize), so the API routes' 20 MB imports
 * stay out; server actions carry at most the 50 MB both limits allow.
 */
export const config = {
  matcher: [
    "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|monaco/).*)",
    "/api/:rest(.*%.*)",
  ],
};
