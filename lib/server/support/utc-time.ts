/**
 * A time from a filter as an ISO instant: a `datetime-local` value (no zone) is read as UTC, as
 * the inputs say; null for anything that is no time.
 */
export function utcInstant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const zoned = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?)?$/.test(value)
    ? `${value}${value.length === 10 ? "" : "Z"}`
    : value;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
