import { deepEqual } from "./deep-equal";
import type { IndexedEntity } from "./entity-index";
import { type EntityIndexes, findEntities, indexFor } from "./entity-indexes";
import {
  applyArrayOperation,
  holdsRepeatable,
  itemId,
  repeatableForm,
  sameIgnoringId,
} from "./entity-values";
import type { MappedEntityValue, RelatedEntity } from "./map-entity-fields";
import { ownValue, setOwnValue } from "./own-property";
import { problem, type ReadingProblem } from "./reading-codes";
import type { EntityDecision } from "./types";

type RelationValue = Extract<MappedEntityValue, { kind: "relations" | "relation_refs" }>;

export interface ResolvedRelations {
  /** Stub entities created first (code RELATION_STUB), and related entities a reference changed. */
  before: EntityDecision[];
  /** Per relation attribute, the stored form after the operation. */
  stored: Map<string, unknown>;
}

/** The stored form of a stub's unique ids: repeatable ones as `[{ "email": ... }]`. */
function stubAttributes(r: RelatedEntity): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.ids)) {
    if (k === "_id") continue;
    const type = ownValue(r.types, k) as keyof typeof r.types | undefined;
    setOwnValue(attributes, k, type ? repeatableForm(r.types[k] as "email", v) : v);
  }
  return attributes;
}

function storedList(stored: unknown, key: "$relation" | "$relation_ref"): unknown[] {
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return [];
  const list = (stored as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

interface Context {
  item: number;
  index: number | null;
  /** The provisional id stubs are numbered from. */
  owner: string;
}

/**
 * Resolves an update's relations and relation refs (SPEC-ENTITIES 3) against the stored entities
 * and those earlier in the payload: every related entity is found, or created first as a stub
 * (RELATION_STUB); several matches make the whole update an error (AMBIGUOUS_RELATION) and
 * nothing of it happens. References put their value into the related entity's repeatable
 * attribute. The stored lists combine with what `existing` holds by each attribute's operation.
 */
export function resolveRelations(
  values: ReadonlyMap<string, MappedEntityValue>,
  existing: IndexedEntity | null,
  indexes: EntityIndexes,
  ctx: Context,
): { ok: true; resolved: ResolvedRelations } | { ok: false; problem: ReadingProblem } {
  const relations: [string, RelationValue][] = [];
  for (const [attribute, v] of values) if (v.kind !== "value") relations.push([attribute, v]);
  const resolved: ResolvedRelations = { before: [], stored: new Map() };
  if (relations.length === 0) return { ok: true, resolved };

  // First find every related entity: an ambiguous one stops the update before anything is made.
  const found = new Map<RelatedEntity, string | null>();
  for (const [attribute, v] of relations) {
    for (const r of v.items) {
      const ids = findEntities(indexes, r.schema, r.ids);
      if (ids.length > 1)
        return {
          ok: false,
          problem: problem(
            "AMBIGUOUS_RELATION",
            { field: attribute, entity_schema: r.schema, unique_ids: r.ids, ids },
            `Several ${r.schema} entities match the unique ids of "${attribute}"`,
          ),
        };
      found.set(r, ids[0] ?? null);
    }
  }

  const stubs = new Map<string, EntityDecision>();
  const touched = new Map<string, EntityDecision>();
  const idOf = (r: RelatedEntity): string => {
    const id = found.get(r);
    if (id) return id;
    const key = `${r.schema}\u0000${JSON.stringify(r.ids)}`;
    const stub = stubs.get(key);
    if (stub) return stub.id as string;
    // A stub found by a later item of the same update (same ids) is this one.
    const again = findEntities(indexes, r.schema, r.ids)[0];
    if (again) return again;
    const stubId = `${ctx.owner}:stub:${stubs.size}`;
    const attributes = stubAttributes(r);
    indexFor(indexes, r.schema).put({ id: stubId, attributes });
    const decision: EntityDecision = {
      item: ctx.item,
      index: ctx.index,
      entity_schema: r.schema,
      action: "create",
      id: stubId,
      ...problem("RELATION_STUB", { unique_ids: r.ids }),
      unique_ids: r.ids,
      attributes,
    };
    stubs.set(key, decision);
    resolved.before.push(decision);
    return stubId;
  };

  for (const [attribute, v] of relations) {
    const entries: unknown[] = [];
    for (const r of v.items) {
      const entityId = idOf(r);
      if (v.kind === "relations") {
        const entry: Record<string, unknown> = { entity_id: entityId, _schema: r.schema };
        if (r.tags) entry._tags = r.tags;
        entries.push(entry);
      } else if (r.ref) {
        entries.push({ entity_id: entityId, path: r.ref.path, _id: putRef(r, entityId) });
      }
    }
    const key = v.kind === "relations" ? "$relation" : "$relation_ref";
    const before = storedList(existing ? ownValue(existing.attributes, attribute) : undefined, key);
    // `_append` adds a relation to an entity not yet related (a reference not yet there).
    const same =
      v.kind === "relations"
        ? (a: unknown, b: unknown) =>
            (a as { entity_id?: unknown })?.entity_id === (b as { entity_id?: unknown })?.entity_id
        : deepEqual;
    resolved.stored.set(attribute, {
      [key]: applyArrayOperation(before, v.operation, entries, same),
    });
  }
  return { ok: true, resolved };

  /** Puts a reference's value into the related entity; returns the item's `_id`. */
  function putRef(r: RelatedEntity, entityId: string): string | null {
    const ref = r.ref as NonNullable<RelatedEntity["ref"]>;
    const index = indexFor(indexes, r.schema);
    const target = index.byId.get(entityId) as IndexedEntity;
    const stored = ownValue(target.attributes, ref.attribute);
    const list = Array.isArray(stored) ? stored : [];
    let value = ref.value;
    const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
    const twin =
      ref.operation === "_append" ? list.find((o) => sameIgnoringId(o, value)) : undefined;
    let id: string | null = null;
    let next: unknown[];
    if (twin !== undefined) {
      id = (twin as { _id?: string })?._id ?? null;
      next = list;
    } else {
      if (isObject) {
        const own = (value as { _id?: unknown })._id;
        id = typeof own === "string" ? own : itemId(entityId, ref.attribute, list.length, value);
        value = { ...(value as object), _id: id };
      }
      next = applyArrayOperation(list, ref.operation === "_set" ? "_set" : "_append_all", [value]);
    }
    // Every item gets an `_id` when it has none; existing ones are kept.
    next = next.map((o, n) =>
      o !== null &&
      typeof o === "object" &&
      !Array.isArray(o) &&
      typeof (o as { _id?: unknown })._id !== "string"
        ? { ...(o as object), _id: itemId(entityId, ref.attribute, n, o) }
        : o,
    );
    if (deepEqual(next, stored)) return id;
    const attributes = { ...target.attributes };
    setOwnValue(attributes, ref.attribute, next);
    index.put({ ...target, attributes });
    const stub = [...stubs.values()].find((d) => d.id === entityId);
    if (stub) {
      setOwnValue(stub.attributes, ref.attribute, next);
      return id;
    }
    const update = touched.get(entityId) ?? {
      item: ctx.item,
      index: ctx.index,
      entity_schema: r.schema,
      action: "update" as const,
      id: entityId,
      unique_ids: r.ids,
      attributes: {},
      changes: {},
    };
    if (!touched.has(entityId)) {
      touched.set(entityId, update);
      resolved.before.push(update);
    }
    setOwnValue(update.attributes, ref.attribute, next);
    const changes = update.changes as Record<string, { from: unknown; to: unknown }>;
    const from = Object.hasOwn(changes, ref.attribute)
      ? (changes[ref.attribute] as { from: unknown }).from
      : (stored ?? null);
    setOwnValue(changes, ref.attribute, { from, to: next });
    return id;
  }
}

/** The stored form of a value attribute: array operations applied, repeatable values wrapped. */
export function storedValue(
  v: Extract<MappedEntityValue, { kind: "value" }>,
  stored: unknown,
  operation: { op: "_set" | "_append" | "_append_all"; items: unknown[] } | null,
): unknown {
  if (operation) return applyArrayOperation(stored, operation.op, operation.items);
  if (v.type) {
    // A repeatable value already held is no change; otherwise it becomes the stored list.
    return holdsRepeatable(stored, v.type, v.value) ? stored : repeatableForm(v.type, v.value);
  }
  return v.value;
}
