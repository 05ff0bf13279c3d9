import type { PreviewDecision } from "@/lib/server/studio/studio-preview-service";

/** A value as one line of text: strings as they are, everything else as compact JSON. */
export function cellText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Where a decision comes from: `item:index` of the extracted list, or the item alone. */
export function decisionPosition(d: PreviewDecision): string {
  return d.index === null ? `${d.item}` : `${d.item}:${d.index}`;
}

/** The meter's unique ids as `meter_number=M001`; errors name the values they looked for. */
export function meterText(d: PreviewDecision): string {
  const ids = d.meter?.unique_ids ?? (d.code?.startsWith("METER_") ? d.details : undefined);
  if (!ids) return "";
  return Object.entries(ids)
    .map(([k, v]) => `${k}=${cellText(v)}`)
    .join(", ");
}

/** Only the meter's id values (`M001`), where a narrow cell has no room for the names. */
export function meterValues(d: PreviewDecision): string {
  const ids = d.meter?.unique_ids ?? (d.code?.startsWith("METER_") ? d.details : undefined);
  return ids ? Object.values(ids).map(cellText).join(", ") : "";
}

export function counterText(d: PreviewDecision): string {
  if (!d.counter) return "";
  return Object.entries(d.counter.unique_ids)
    .map(([k, v]) => `${k}=${cellText(v)}`)
    .join(", ");
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/**
 * What a decision's row shows of its reading: the mapped one, or for a deletion the stored row
 * it deletes (prune deletions map nothing).
 */
export function shownReading(d: PreviewDecision): {
  external_id?: unknown;
  value?: unknown;
  raw?: unknown;
  instant?: string;
  berlin_day?: string;
} {
  if (d.reading || !d.previous) {
    return {
      external_id: d.reading?.external_id,
      value: d.reading?.value,
      raw: d.time?.raw,
      instant: d.time?.instant,
      berlin_day: d.time?.berlin_day,
    };
  }
  return {
    external_id: d.previous.external_id,
    value: d.previous.value,
    instant: d.previous.timestamp,
    berlin_day: d.previous.berlin_day,
  };
}
