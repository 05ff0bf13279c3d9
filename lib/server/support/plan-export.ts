import "server-only";
import type { Db } from "../../../db/client";
import { AppError } from "../http/app-error";
import { recordedImport } from "./recorded-decisions";
import { isUuid } from "./uuid";

const CSV_COLUMNS = [
  "n",
  "item",
  "index",
  "action",
  "code",
  "message",
  "meter_id",
  "counter_id",
  "reading_id",
  "matched_by",
  "changed",
  "details",
  "reading",
] as const;

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function field(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * An import's plan as recorded (never recomputed), for download: the whole record as JSON, or one
 * CSV line per decision.
 */
export async function planExport(db: Db, importId: string, format: "json" | "csv") {
  const record = isUuid(importId) ? await recordedImport(db, importId) : null;
  if (!record) throw new AppError("NOT_FOUND", "No import has this id", { import_id: importId });
  if (format === "json") {
    const { summary, warnings, entities } = record;
    const decisions = Array.from({ length: record.count }, (_, i) => record.at(i));
    return JSON.stringify({ import_id: importId, summary, warnings, entities, decisions });
  }
  const lines = [CSV_COLUMNS.join(",")];
  for (let n = 0; n < record.count; n++) {
    const d = record.at(n);
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      n,
      item: d.item,
      index: d.index,
      action: d.action,
      code: d.code,
      message: d.message,
      meter_id: d.meter_id,
      counter_id: d.counter_id,
      reading_id: d.reading_id,
      matched_by: d.matched_by,
      changed: d.changed?.join(" "),
      details: d.details,
      reading: d.reading,
    };
    lines.push(CSV_COLUMNS.map((c) => field(row[c])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
