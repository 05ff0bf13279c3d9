import { depthExceededAt, MAX_JSON_DEPTH } from "./json-depth";
import { type JsonParseResult, parseJson, tooDeepError } from "./parse-json";

/**
 * Values up to this many characters go to the native parser whole, and big arrays are cut into
 * runs of about this size. 32 KB runs parse a 20 MB body about as fast as one JSON.parse (1 MB
 * runs took 1.7x as long: big short-lived strings are what the garbage collector handles worst).
 */
const PIECE = 1 << 15;
/** Wrong guesses at an array's split point before scanning it exactly. */
const GUESSES = 4;

type Pause = () => Promise<void>;

class Malformed extends Error {}

/** The text nests deeper than MAX_JSON_DEPTH; `offset` is the bracket of the level too many. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super("too deep");
  }
}

const BRACKETS = /["[\]{}]/g;
const SCALAR_END = /[,\]}\s]/g;
const ELEMENT_END = /[\]}]\s*,/g;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * JSON.parse for bodies of many megabytes without blocking the event loop for long: big arrays are
 * cut into ~32 KB runs of elements parsed natively, with pauses between them. A cut is guessed at
 * a `},` or `],` after the next run's length and proven by the native parse itself: a cut inside a string or
 * a nested value leaves an unterminated string or unbalanced brackets, which never parses, so a
 * wrong guess costs time, never correctness. Same result as JSON.parse; on malformed input, the
 * located error of `parseJson`. Nesting deeper than MAX_JSON_DEPTH fails as in `parseJson`, found
 * on the way (the recursion here is one call per level, so it never gets deeper than that).
 */
export async function parseJsonLarge(
  text: string,
  pause: Pause,
  options: { sliceMs?: number; piece?: number } = {},
): Promise<JsonParseResult> {
  const piece = options.piece ?? PIECE;
  if (text.length <= piece) return parseJson(text);
  const parser = new PieceParser(text, pause, options.sliceMs ?? 20, piece);
  try {
    const [value, end] = await parser.value(parser.skipSpace(0), 0);
    if (parser.skipSpace(end) !== text.length) throw new Malformed();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof TooDeep) return tooDeepError(text, error.offset, true);
    if (error instanceof Malformed || error instanceof SyntaxError) return parseJson(text);
    throw error;
  }
}

class PieceParser {
  private sliceStart = performance.now();

  constructor(
    private readonly text: string,
    private readonly pause: Pause,
    private readonly sliceMs: number,
    private readonly piece: number,
  ) {}

  private async breathe() {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await this.pause();
    this.sliceStart = performance.now();
  }

  skipSpace(i: number): number {
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** The value starting at i, inside `depth` arrays and objects, and the index just past it. */
  async value(i: number, depth: number): Promise<[unknown, number]> {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (c !== 91 && c !== 123) {
      const end = c === 34 ? this.skipString(i) : this.scalarEnd(i);
      return [JSON.parse(text.slice(i, end)), end];
    }
    const small = this.skipWithin(i, i + this.piece, depth);
    if (small > 0) {
      await this.breathe();
      return [JSON.parse(text.slice(i, small)), small];
    }
    return c === 91 ? this.array(i, depth + 1) : this.object(i, depth + 1);
  }

  private scalarEnd(i: number): number {
    SCALAR_END.lastIndex = i;
    const m = SCALAR_END.exec(this.text);
    return m ? m.index : this.text.length;
  }

  private skipString(i: number): number {
    const { text } = this;
    let j = i + 1;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) throw new Malformed();
      // A quote preceded by an odd number of backslashes is escaped.
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /**
   * Index just past the array or object at i (inside `outer` others) if it ends before `limit`,
   * else -1. Throws TooDeep where it opens a level past MAX_JSON_DEPTH.
   */
  private skipWithin(i: number, limit: number, outer: number): number {
    const { text } = this;
    let depth = 0;
    BRACKETS.lastIndex = i;
    for (;;) {
      const m = BRACKETS.exec(text);
      if (!m || m.index >= limit) return -1;
      const c = text.charCodeAt(m.index);
      if (c === 34) BRACKETS.lastIndex = this.skipString(m.index);
      else if (c === 91 || c === 123) {
        if (++depth + outer > MAX_JSON_DEPTH) throw new TooDeep(m.index);
      } else if (--depth === 0) return m.index + 1;
    }
  }

  /** The array opening at `open`, itself `depth` levels deep. */
  private async array(open: number, depth: number): Promise<[unknown[], number]> {
    const { text } = this;
    const out: unknown[] = [];
    let i = this.skipSpace(open + 1);
    if (text.charCodeAt(i) === 93) return [out, i + 1];
    // After failed guesses, go element by element for a piece's length before guessing again:
    // retrying at every element would parse the same run over and over.
    let exactUntil = i;
    for (;;) {
      if (i >= exactUntil) {
        const cut = this.guessCut(i, out, depth);
        if (cut > 0) {
          i = this.skipSpace(cut);
          await this.breathe();
          continue;
        }
        exactUntil = i + this.piece;
      }
      // Exactly, element by element: the array's last run, or elements too big to batch.
      const [element, after] = await this.value(i, depth);
      out.push(element);
      const next = this.skipSpace(after);
      const c = text.charCodeAt(next);
      if (c === 93) return [out, next + 1];
      if (c !== 44) throw new Malformed();
      i = this.skipSpace(next + 1);
    }
  }

  /**
   * Parses a run of elements (about a piece long) from i into out, cut at a `},` or `],` guessed past the
   * piece size; returns the index after its comma, or 0 when no guess parses.
   */
  private guessCut(i: number, out: unknown[], depth: number): number {
    const { text } = this;
    ELEMENT_END.lastIndex = i + this.piece;
    for (let guess = 0; guess < GUESSES; guess++) {
      const m = ELEMENT_END.exec(text);
      if (!m) return 0;
      let run: unknown[];
      try {
        run = JSON.parse(`[${text.slice(i, m.index + 1)}]`) as unknown[];
      } catch {
        // The cut fell inside an element or a string: try the next one.
        continue;
      }
      // The native parse walked the run whatever its depth; this pass is what checks it.
      const deep = depthExceededAt(text, i, m.index + 1, depth);
      if (deep >= 0) throw new TooDeep(deep);
      for (const v of run) out.push(v);
      return m.index + m[0].length;
    }
    return 0;
  }

  /** The object opening at `open`, itself `depth` levels deep. */
  private async object(open: number, depth: number): Promise<[Record<string, unknown>, number]> {
    const { text } = this;
    const out: Record<string, unknown> = {};
    let i = this.skipSpace(open + 1);
    if (text.charCodeAt(i) === 125) return [out, i + 1];
    for (;;) {
      if (text.charCodeAt(i) !== 34) throw new Malformed();
      const keyEnd = this.skipString(i);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      const colon = this.skipSpace(keyEnd);
      if (text.charCodeAt(colon) !== 58) throw new Malformed();
      const [value, after] = await this.value(this.skipSpace(colon + 1), depth);
      // defineProperty, not assignment: a "__proto__" key stays an own property, as in JSON.parse.
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      const next = this.skipSpace(after);
      const c = text.charCodeAt(next);
      if (c === 125) return [out, next + 1];
      if (c !== 44) throw new Malformed();
      i = this.skipSpace(next + 1);
    }
  }
}
