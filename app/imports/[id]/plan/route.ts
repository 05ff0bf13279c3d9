import { getDb } from "@/db/client";
import { requireRouteUser } from "@/lib/server/auth/route-user";
import { route } from "@/lib/server/http/route-handler";
import { planExport } from "@/lib/server/support/plan-export";

/** GET /imports/{id}/plan?format=json|csv: the import's recorded plan as a download. */
export const GET = route<{ id: string }>(async (request, { id }) => {
  await requireRouteUser(request);
  const format = new URL(request.url).searchParams.get("format") === "csv" ? "csv" : "json";
  const body = await planExport(getDb().db, id, format);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      "content-disposition": `attachment; filename="plan-${id}.${format}"`,
    },
  });
});
