// Postgres text and jsonb cannot hold a NUL character, and a lone UTF-16 surrogate has no UTF-8
// form: the driver would store U+FFFD in its place, so a later correction of that reading would no
// longer find it. Such text is refused where it enters, never changed.

/** NUL or any surrogate: the one quick test; only text that matches gets the precise look. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** Whether the database stores this text exactly: no NUL, no lone surrogate (pairs are fine). */
export function isStorableText(text: string): boolean {
  return !SUSPECT.test(text) || (!text.includes("\u0000") && text.isWellFormed());
}

/** Text as the body of a JSON string literal, so NUL and lone surrogates show as escapes (`sur\ud800`). */
export function escapedText(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export interface UnstorableText {
  /** Where the string, or the key, is inside the value (empty: the value itself). */
  segments: (string | number)[];
  /** The text as it is. */
  text: string;
}

interface Frame {
  value: object;
  parent: Frame | null;
  /** The key (or index) of this value in its parent. */
  key: string | number;
}

function segmentsTo(frame: Frame | null, last: string | number): (string | number)[] {
  const keys = [last];
  for (let f = frame; f?.parent; f = f.parent) keys.push(f.key);
  return keys.reverse();
}

/**
 * Every string and object key inside a JSON value that the database cannot store, in document
 * order. Iterative (an explicit stack), so a deeply nested value cannot overflow the call stack;
 * a path is only built for what is found.
 */
export function* unstorableTexts(value: unknown): Generator<UnstorableText> {
  if (typeof value === "string") {
    if (!isStorableText(value)) yield { segments: [], text: value };
    return;
  }
  if (value === null || typeof value !== "object") return;
  const stack: Frame[] = [{ value, parent: null, key: "" }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const children: Frame[] = [];
    const object = frame.value as Record<string | number, unknown>;
    const keys = Array.isArray(object) ? null : Object.keys(object);
    const count = keys ? keys.length : (frame.value as unknown[]).length;
    for (let i = 0; i < count; i++) {
      const key = keys ? (keys[i] as string) : i;
      if (typeof key === "string" && !isStorableText(key))
        yield { segments: segmentsTo(frame, key), text: key };
      const child = object[key];
      if (typeof child === "string") {
        if (!isStorableText(child)) yield { segments: segmentsTo(frame, key), text: child };
      } else if (child !== null && typeof child === "object")
        children.push({ value: child, parent: frame, key });
    }
    // Reversed onto the stack: the first child is walked next, so findings come in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Frame);
  }
}

/** The first string or object key inside a JSON value that the database cannot store, or null. */
export function findUnstorableText(value: unknown): UnstorableText | null {
  for (const found of unstorableTexts(value)) return found;
  return null;
}
