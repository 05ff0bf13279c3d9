import { otherMethods } from "@/lib/server/http/route-handler";
import { metricsEnabled, readMetrics } from "@/lib/server/platform/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Benchmark-only: 404 unless the server runs with MMS_METRICS=1. `?reset=1` restarts the window. */
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);

export function GET(request: Request) {
  if (!metricsEnabled()) {
    return Response.json(
      { status: "error", message: "Not found", error: { code: "NOT_FOUND", details: {} } },
      { status: 404 },
    );
  }
  return Response.json(readMetrics(new URL(request.url).searchParams.get("reset") === "1"));
}
