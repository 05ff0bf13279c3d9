import "server-only";
import type { Db } from "../../../db/client";
import {
  erringUseCases,
  eventsPerDay,
  lastSuccessPerIntegration,
  topErrorCodes,
} from "../../../db/repository";
import { inboundEventStatuses } from "../../../db/schema";

export const OVERVIEW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Berlin calendar day (YYYY-MM-DD) of an instant. */
const berlinDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" });

/**
 * Support's overview: events per Berlin day by status over the last 30 days (every day present,
 * zeros included, so the chart's axis is continuous), the top error codes of the last 7 days,
 * the use cases with the most errors in the last 24 hours, and each integration's last success.
 */
export async function supportOverview(db: Db, now = Date.now()) {
  const since = new Date(now - OVERVIEW_DAYS * DAY_MS).toISOString();
  const week = new Date(now - 7 * DAY_MS).toISOString();
  const day = new Date(now - DAY_MS).toISOString();
  const [perDay, codes, useCases, lastSuccess] = await Promise.all([
    eventsPerDay(db, since),
    topErrorCodes(db, week),
    erringUseCases(db, day),
    lastSuccessPerIntegration(db),
  ]);
  const days: string[] = [];
  for (let t = now - (OVERVIEW_DAYS - 1) * DAY_MS; t <= now; t += DAY_MS)
    days.push(berlinDay.format(new Date(t)));
  const statuses = inboundEventStatuses.filter((s) => s !== "processing");
  const counts = Object.fromEntries(statuses.map((s) => [s, days.map(() => 0)])) as Record<
    string,
    number[]
  >;
  for (const r of perDay) {
    const at = days.indexOf(r.day);
    const series = counts[r.status];
    if (at >= 0 && series) series[at] = (series[at] ?? 0) + r.n;
  }
  return {
    perDay: { days, statuses, counts },
    codes,
    useCases,
    lastSuccess,
    since: { codes: week, useCases: day },
  };
}

export type SupportOverview = Awaited<ReturnType<typeof supportOverview>>;
