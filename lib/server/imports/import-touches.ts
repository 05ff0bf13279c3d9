import "server-only";
import type { ImportTouches } from "../../../db/repository/support-touches";
import type { Plan } from "../../engine";

/**
 * The meters a plan's decisions name (with real ids for meters the import created) and its
 * decision codes with counts: what support's list filters imports by.
 */
export function importTouches(plan: Plan, ids: ReadonlyMap<string, string>): ImportTouches {
  const meters = new Set<string>();
  const codes = new Map<string, { code: string; action: string; count: number }>();
  const count = (code: string | undefined, action: string) => {
    if (!code) return;
    const key = `${code}\u0000${action}`;
    const seen = codes.get(key);
    if (seen) seen.count++;
    else codes.set(key, { code, action, count: 1 });
  };
  for (const d of plan.decisions) {
    if (d.meter?.id) meters.add(ids.get(d.meter.id) ?? d.meter.id);
    count(d.code, d.action);
  }
  for (const e of plan.entities) {
    if (e.entity_schema === "meter" && e.id) meters.add(ids.get(e.id) ?? e.id);
    count(e.code, e.action);
  }
  // Provisional ids of entities that were never written (an error) are no meters.
  const real = [...meters].filter((id) => !id.startsWith("new:"));
  return { meterIds: real, codes: [...codes.values()] };
}
