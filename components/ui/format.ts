// The product's users are German utilities and readings are judged on the Berlin day, so dates
// show in Berlin time; a fixed zone also keeps server and browser renders identical. Times say
// their zone (CET or CEST), since stored instants elsewhere on the same screens are in UTC.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Berlin",
  timeZoneName: "short",
});
const timeOnly = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Berlin",
  timeZoneName: "short",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeZone: "Europe/Berlin",
});

export function formatDateTime(value: Date | string): string {
  return dateTime.format(new Date(value));
}

/** "14:05 CET": a time of today, Berlin time, with its zone. */
export function formatTime(value: Date | string): string {
  return timeOnly.format(new Date(value));
}

export function formatDate(value: Date | string): string {
  return dateOnly.format(new Date(value));
}

/** "1 use case", "2 use cases". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
