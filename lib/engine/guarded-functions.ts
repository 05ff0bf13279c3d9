import jsonata from "jsonata";
import { deepEqual } from "./deep-equal";
import { EvaluationLimitError, type EvaluationRun, MAX_STRING_LENGTH } from "./evaluation-budget";

/**
 * Built-in JSONata functions that one call could turn into a crash or a long stall, replaced in
 * every compiled expression by versions that keep their results and signatures:
 * - `$pad` with a width of 120,000,000 builds the string in one call, and `$length` of it grew an
 *   array past V8's limit: "Fatal JavaScript invalid size error" ended the process;
 * - date and number pictures (`[Y,100000000]`, a picture of a million zeros) build huge strings
 *   in one call;
 * - `$sort` copied the rest of the array at every merge step: quadratic, 100k numbers ran the
 *   heap out; `$distinct` compared every value with every earlier one (100k numbers: 4 s).
 * Loops of our own report to the evaluation's run now and then, so they honour its bounds and
 * yield like every other evaluation.
 */

/** Where the evaluation's run is bound: a name no JSONata variable can spell (`:` ends a name). */
export const RUN_BINDING = "mms:run";

/** What jsonata passes a native function as `this`. */
interface Focus {
  environment: { base: { lookup(name: string): unknown }; lookup(name: string): unknown };
}

type Native = (this: Focus, ...args: unknown[]) => unknown;
type Comparator = (a: unknown, b: unknown) => unknown;

const WRAPPED = ["fromMillis", "formatNumber", "formatInteger"] as const;
type Wrapped = (typeof WRAPPED)[number];

let originals: Promise<Record<Wrapped, Native>> | undefined;

/** jsonata keeps its functions to itself; asking an expression for them is the public way. */
function original(name: Wrapped): Promise<Native> {
  originals ??= jsonata(`[${WRAPPED.map((n) => `$${n}`).join(", ")}]`)
    .evaluate({})
    .then((fns: { implementation: Native }[]) => {
      const byName = {} as Record<Wrapped, Native>;
      WRAPPED.forEach((n, i) => {
        byName[n] = (fns[i] as { implementation: Native }).implementation;
      });
      return byName;
    });
  return originals.then((byName) => byName[name]);
}

function runOf(focus: Focus): EvaluationRun | undefined {
  return focus.environment.base.lookup(RUN_BINDING) as EvaluationRun | undefined;
}

function tooLong(what: string, length: number): EvaluationLimitError {
  return new EvaluationLimitError(
    "size",
    `Expression stopped: ${what} would be ${length} characters long (at most ${MAX_STRING_LENGTH} are allowed)`,
  );
}

// A width or digit count inside a picture's [...] markers: `[Y,100000000]`, `[Y0001,*-9999999]`.
const MARKER = /\[[^\]]*\]/g;
const NUMBER = /\d+/g;
const MAX_PICTURE_LENGTH = 1_000;
const MAX_PICTURE_WIDTH = 1_000;

function checkPicture(picture: unknown, markersOnly: boolean): void {
  if (typeof picture !== "string") return;
  if (picture.length > MAX_PICTURE_LENGTH) {
    throw new EvaluationLimitError(
      "size",
      `Expression stopped: a picture of ${picture.length} characters (at most ${MAX_PICTURE_LENGTH})`,
    );
  }
  const parts = markersOnly ? (picture.match(MARKER) ?? []) : [picture];
  for (const part of parts) {
    for (const digits of part.match(NUMBER) ?? []) {
      // Leading zeros are digit counts ("0001"), their value a width: both stay small.
      if (digits.length > 4 || Number(digits) > MAX_PICTURE_WIDTH) {
        throw new EvaluationLimitError(
          "size",
          `Expression stopped: the picture ${JSON.stringify(picture.slice(0, 40))} asks for a width of ${digits} (at most ${MAX_PICTURE_WIDTH})`,
        );
      }
    }
  }
}

function pad(this: Focus, str: unknown, width: unknown, char: unknown): unknown {
  if (typeof str !== "string") return undefined;
  const w = Math.trunc(width as number);
  if (Math.abs(w) > MAX_STRING_LENGTH) throw tooLong("the padded string", Math.abs(w));
  const fill = typeof char === "string" && char.length > 0 ? char : " ";
  const missing = Math.abs(w) - [...str].length;
  if (!(missing > 0)) return str;
  // As jsonata does: the fill repeated, then cut to the missing number of code points.
  let padding = fill.repeat(Math.ceil(missing / [...fill].length));
  if (fill.length > 1) padding = [...padding].slice(0, missing).join("");
  return w > 0 ? str + padding : padding + str;
}

function isNumbers(values: unknown[]): boolean {
  return values.every((v) => typeof v === "number");
}

function isStrings(values: unknown[]): boolean {
  return values.every((v) => typeof v === "string");
}

/** Stable merge sort, bottom-up: n log n comparisons and copies, each comparator call awaited. */
async function mergeSort(
  values: unknown[],
  swap: Comparator,
  run: EvaluationRun | undefined,
): Promise<unknown[]> {
  let from = values.slice();
  let to = new Array<unknown>(from.length);
  for (let width = 1; width < from.length; width *= 2) {
    for (let start = 0; start < from.length; start += 2 * width) {
      const mid = Math.min(start + width, from.length);
      const end = Math.min(start + 2 * width, from.length);
      let i = start;
      let j = mid;
      let k = start;
      while (i < mid && j < end) {
        // The comparator says whether left and right must swap (jsonata's $sort contract).
        if (await swap(from[i], from[j])) to[k++] = from[j++];
        else to[k++] = from[i++];
        await run?.enter();
      }
      while (i < mid) to[k++] = from[i++];
      while (j < end) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}

async function sort(this: Focus, arr: unknown, comparator: unknown): Promise<unknown> {
  if (arr === undefined) return undefined;
  const values = arr as unknown[];
  if (values.length <= 1) return values;
  if (comparator === undefined) {
    const numbers = isNumbers(values);
    if (!numbers && !isStrings(values)) throw { code: "D3070", index: 1 };
    // Native and stable: equal values keep their order, as in jsonata's merge sort.
    return values.slice().sort((a, b) => {
      if (numbers) return (a as number) - (b as number);
      return (a as string) > (b as string) ? 1 : (a as string) < (b as string) ? -1 : 0;
    });
  }
  return mergeSort(values, comparator as Comparator, runOf(this));
}

function primitiveKey(value: unknown): string | null {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return `s${value}`;
    case "number":
      return `n${value}`;
    case "boolean":
      return `b${value}`;
    default:
      return null;
  }
}

async function distinct(this: Focus, arr: unknown): Promise<unknown> {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const seen = new Set<string>();
  const structured: unknown[] = [];
  const results: unknown[] = (arr as { sequence?: boolean }).sequence
    ? Object.assign([] as unknown[], { sequence: true })
    : [];
  const run = runOf(this);
  for (const value of arr) {
    const key = primitiveKey(value);
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
    } else {
      // Objects and arrays compare by structure, among themselves only.
      let found = false;
      for (const earlier of structured) {
        if (deepEqual(value, earlier)) {
          found = true;
          break;
        }
        await run?.enter();
      }
      if (found) continue;
      structured.push(value);
    }
    results.push(value);
  }
  return results;
}

async function fromMillis(this: Focus, ...args: unknown[]): Promise<unknown> {
  checkPicture(args[1], true);
  return (await original("fromMillis")).apply(this, args);
}

async function formatInteger(this: Focus, ...args: unknown[]): Promise<unknown> {
  checkPicture(args[1], false);
  return (await original("formatInteger")).apply(this, args);
}

async function formatNumber(this: Focus, ...args: unknown[]): Promise<unknown> {
  checkPicture(args[1], false);
  return (await original("formatNumber")).apply(this, args);
}

/** `$now(picture)`: the expression's own clock reading (its `$millis`), formatted like `$fromMillis`. */
async function now(this: Focus, picture: unknown, timezone: unknown): Promise<unknown> {
  const millis = this.environment.lookup("millis") as { implementation: () => number };
  return fromMillis.call(this, millis.implementation(), picture, timezone);
}

/** Name, implementation and signature (jsonata's own) of every replacement. */
export const GUARDED_FUNCTIONS: readonly [string, Native, string][] = [
  ["pad", pad as Native, "<s-ns?:s>"],
  ["sort", sort as Native, "<af?:a>"],
  ["distinct", distinct as Native, "<x:x>"],
  ["fromMillis", fromMillis as Native, "<n-s?s?:s>"],
  ["formatInteger", formatInteger as Native, "<n-s:s>"],
  ["formatNumber", formatNumber as Native, "<n-so?:s>"],
  ["now", now as Native, "<s?s?:s>"],
];
