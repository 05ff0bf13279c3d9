// The product's users are German utilities and readings are judged on the Berlin day, so dates
// show in Berlin time; a fixed zone also keeps server and browser renders identical.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "Europe/Berlin",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeZone: "Europe/Berlin",
});

export function formatDateTime(value: Date | string): string {
  return dateTime.format(new Date(value));
}

export function formatDate(value: Date | string): string {
  return dateOnly.format(new Date(value));
}

/** "1 use case", "2 use cases". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
