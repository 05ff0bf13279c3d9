import { getDb } from "@/db/client";
import { requireRouteUser } from "@/lib/server/auth/route-user";
import { AppError } from "@/lib/server/http/app-error";
import { route } from "@/lib/server/http/route-handler";
import { eventPayloadText } from "@/lib/server/support/payload-service";

/**
 * GET /imports/{eventId}/payload: the event's payload as received (indented when it was JSON),
 * fetched by the detail page's viewer so a 20 MB payload never rides along with the page.
 */
export const GET = route<{ id: string }>(async (request, { id }) => {
  await requireRouteUser(request);
  const text = await eventPayloadText(getDb(), id);
  if (text === null)
    throw new AppError("NOT_FOUND", "No payload is stored for this event", { event_id: id });
  const download = new URL(request.url).searchParams.has("download");
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      ...(download ? { "content-disposition": `attachment; filename="payload-${id}.json"` } : {}),
    },
  });
});
