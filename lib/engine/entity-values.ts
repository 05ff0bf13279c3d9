import { deepEqual } from "./deep-equal";
import { ARRAY_OPERATIONS, type ArrayOperation, type RepeatableType } from "./entity-constants";

/** `{ "_set": [...] }`, `{ "_append": [...] }` or `{ "_append_all": [...] }`: an array operation. */
export function arrayOperation(value: unknown): { op: ArrayOperation; items: unknown[] } | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const op = keys[0] as ArrayOperation;
  const items = (value as Record<string, unknown>)[op];
  if (!ARRAY_OPERATIONS.includes(op) || !Array.isArray(items)) return null;
  return { op, items };
}

/**
 * Applies an operation to a stored array (SPEC-ENTITIES 2): `_set` replaces it, `_append` adds
 * the values not already there (compared with `same`), `_append_all` adds all. A stored value
 * that is not an array counts as none; on a new entity all three set.
 */
export function applyArrayOperation(
  stored: unknown,
  op: ArrayOperation,
  items: readonly unknown[],
  same: (a: unknown, b: unknown) => boolean = deepEqual,
): unknown[] {
  const before = Array.isArray(stored) ? stored : [];
  if (op === "_set") return [...items];
  if (op === "_append_all") return [...before, ...items];
  const out = [...before];
  for (const item of items) if (!out.some((o) => same(o, item))) out.push(item);
  return out;
}

/** A repeatable attribute's stored form: `[{ "email": value }]` when the value is a string. */
export function repeatableForm(type: RepeatableType, value: unknown): unknown {
  return typeof value === "string" ? [{ [type]: value }] : value;
}

/** Whether a stored repeatable attribute holds an item with this value. */
export function holdsRepeatable(stored: unknown, type: RepeatableType, value: unknown): boolean {
  return (
    Array.isArray(stored) &&
    stored.some(
      (o) => o !== null && typeof o === "object" && (o as Record<string, unknown>)[type] === value,
    )
  );
}

/** Equal items of a repeatable attribute, ignoring their `_id`s (SPEC-ENTITIES 3.2). */
export function sameIgnoringId(a: unknown, b: unknown): boolean {
  const strip = (v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const { _id: _ignored, ...rest } = v as Record<string, unknown>;
    return rest;
  };
  return deepEqual(strip(a), strip(b));
}

/**
 * A deterministic `_id` for an item put into a repeatable attribute: the engine reads no clock
 * and no randomness, and planning twice must give equal plans. FNV-1a over the owner, the
 * attribute, the position and the item.
 */
export function itemId(owner: string, attribute: string, position: number, item: unknown): string {
  const text = `${owner}\u0000${attribute}\u0000${position}\u0000${JSON.stringify(item)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}`;
}
