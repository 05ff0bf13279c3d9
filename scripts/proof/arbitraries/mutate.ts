import fc from "fast-check";
import { objectOf, RawJson } from "../json-text";
import {
  type HugeSpec,
  hostileJson,
  hostileString,
  hugeSpec,
  makeHuge,
  PROTOTYPE_KEYS,
} from "./hostile-values";

type Kind =
  | "delete"
  | "replace"
  | "swap type"
  | "inject text"
  | "wrap"
  | "prototype key"
  | "huge"
  | "duplicate";

/** One change to a JSON tree, at the node `at` (modulo the number of nodes). */
export interface Mutation {
  kind: Kind;
  at: number;
  value: unknown;
  text: string;
  position: number;
}

/** Mutations: mostly small ones, now and then (weight `hugeWeight` in 30, 0: never) a huge value. */
export function mutationArb(hugeWeight = 1): fc.Arbitrary<Mutation> {
  const kind = fc.oneof(
    {
      arbitrary: fc.constantFrom<Kind>(
        "delete",
        "replace",
        "swap type",
        "inject text",
        "wrap",
        "prototype key",
        "duplicate",
      ),
      weight: 30,
    },
    ...(hugeWeight > 0 ? [{ arbitrary: fc.constant<Kind>("huge"), weight: hugeWeight }] : []),
  );
  return fc.record({
    kind,
    at: fc.nat(),
    value: hostileJson,
    text: hostileString,
    position: fc.nat(64),
  });
}

/** A valid value changed by one to three mutations: the shapes real clients get almost right. */
export function mutated<T>(base: fc.Arbitrary<T>, hugeWeight = 1): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(mutationArb(hugeWeight), { minLength: 1, maxLength: 3 }), hugeSpec)
    .map(([value, mutations, huge]) =>
      mutations.reduce<unknown>((v, m) => applyMutation(v, m, huge), clone(value)),
    );
}

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (value instanceof RawJson) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...at, i], out);
  } else if (value !== null && typeof value === "object")
    for (const k of Object.keys(value))
      paths((value as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** A deep copy that keeps own `__proto__` keys as keys and shares RawJson pieces. */
export function clone<T>(value: T): T {
  if (value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === "object")
    return objectOf(
      Object.keys(value).map((k) => [k, clone((value as Record<string, unknown>)[k])]),
    ) as T;
  return value;
}

function swapType(v: unknown, fallback: unknown): unknown {
  if (typeof v === "string") return Number.isNaN(Number(v)) ? v.length : Number(v);
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : 0;
  if (v === null) return "null";
  if (Array.isArray(v)) return objectOf(v.map((x, i) => [String(i), x]));
  if (v instanceof RawJson) return fallback;
  return Object.values(v as object);
}

function changed(v: unknown, m: Mutation, huge: HugeSpec): unknown {
  switch (m.kind) {
    case "replace":
      return m.value;
    case "swap type":
      return swapType(v, m.value);
    case "inject text": {
      if (typeof v !== "string") return m.text;
      const p = m.position % (v.length + 1);
      return v.slice(0, p) + m.text + v.slice(p);
    }
    case "wrap":
      return m.position % 2 ? [v] : objectOf([["value", v]]);
    case "prototype key": {
      const key = PROTOTYPE_KEYS[m.position % PROTOTYPE_KEYS.length] as string;
      if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof RawJson)
        return objectOf([[key, v]]);
      return objectOf([...Object.entries(v), [key, m.value]]);
    }
    case "huge":
      return makeHuge(huge);
    case "duplicate":
      if (Array.isArray(v) && v.length > 0) return [...v, clone(v[m.position % v.length])];
      return [v, clone(v)];
    default:
      return v;
  }
}

/** Applies one mutation; the root is replaced rather than deleted. */
export function applyMutation(value: unknown, m: Mutation, huge: HugeSpec): unknown {
  const all = paths(value);
  const path = all[m.at % all.length] as Path;
  if (path.length === 0) return m.kind === "delete" ? {} : changed(value, m, huge);
  let parent = value as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return value;
  }
  const next = changed(parent[last], m, huge);
  // A plain assignment to "__proto__" would set the prototype instead of the key.
  Object.defineProperty(parent, last, {
    value: next,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return value;
}
