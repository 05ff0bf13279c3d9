import type { EntityDecision } from "@/lib/engine/types";

/**
 * An entity decision as the tables show it: the engine's, or one read back from an import's
 * record, which names the attributes an update changed (`changed`) and keeps mapped attributes
 * only where nothing was written: the stored entity has them.
 */
export type ShownEntityDecision = EntityDecision & { changed?: string[] };

/** A recorded decision in the shape the tables show. */
export const shownEntityDecision = (
  d: Omit<EntityDecision, "attributes"> & {
    attributes?: Record<string, unknown>;
    changed?: string[];
  },
): ShownEntityDecision => ({ ...d, attributes: d.attributes ?? {} });

/** The attributes an update changes, by name. */
export const changedNames = (d: ShownEntityDecision): string[] =>
  d.changes ? Object.keys(d.changes) : (d.changed ?? []);

export interface EntityRow {
  decision: ShownEntityDecision;
  /** Position in the plan's entity decisions, so a filtered table still names the same one. */
  n: number;
}

/**
 * What the preview calls an entity decision: the engine's action, except that a stub (a create
 * with code RELATION_STUB) and a prune (a delete with code PRUNED) get labels of their own, so a
 * consultant sees at a glance what the payload did not ask for by name.
 */
export type EntityKind =
  | "create"
  | "stub"
  | "update"
  | "unchanged"
  | "skip"
  | "delete"
  | "prune"
  | "error";

export const ENTITY_KINDS: readonly EntityKind[] = [
  "create",
  "stub",
  "update",
  "unchanged",
  "skip",
  "delete",
  "prune",
  "error",
];

export function entityKind(d: ShownEntityDecision): EntityKind {
  if (d.action === "create" && d.code === "RELATION_STUB") return "stub";
  if (d.action === "delete" && d.code === "PRUNED") return "prune";
  return d.action;
}

export interface EntitySummary {
  counts: Record<EntityKind, number>;
  /** Deletions (prunes among them) that purge for good rather than soft-delete. */
  purged: number;
  total: number;
}

export function summarizeEntities(decisions: readonly ShownEntityDecision[]): EntitySummary {
  const counts = Object.fromEntries(ENTITY_KINDS.map((k) => [k, 0])) as Record<EntityKind, number>;
  let purged = 0;
  for (const d of decisions) {
    counts[entityKind(d)]++;
    if (d.action === "delete" && d.mode === "purge") purged++;
  }
  return { counts, purged, total: decisions.length };
}

/** Where a decision comes from: `item:index` of the entity mapping's inputs, or the item alone. */
export function entityPosition(d: ShownEntityDecision): string {
  return d.index === null ? `${d.item}` : `${d.item}:${d.index}`;
}

/** `key=value, ...` of an entity's unique ids. */
export function idsText(ids: Record<string, unknown> | null | undefined): string {
  if (!ids) return "";
  return Object.entries(ids)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

/**
 * An entity this payload creates has a provisional id until it is written: `new:entity:0:3`, and
 * a stub made for one of its relations `new:entity:0:3:stub:0`.
 */
export function isProvisionalId(id: string): boolean {
  return id.startsWith("new:");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stored entity's id: only such an id can be loaded from the database. */
export function isStoredId(id: string): boolean {
  return UUID.test(id);
}

/** One related entity named in an attribute (SPEC-ENTITIES 3, stored form). */
export interface RelatedEntityRef {
  attribute: string;
  kind: "relation" | "ref";
  /** Its place in the attribute's list. */
  position: number;
  entityId: string;
  schema?: string;
  tags?: string[];
  /** For a relation ref: the repeatable attribute of the related entity, and its item's `_id`. */
  path?: string;
  itemId?: string | null;
}

function list(value: unknown, key: "$relation" | "$relation_ref"): unknown[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const items = (value as Record<string, unknown>)[key];
  return Array.isArray(items) ? items : [];
}

/**
 * The related entities an entity's attributes name: relations as
 * `{ "$relation": [{ "entity_id", "_schema", "_tags"? }] }`, references as
 * `{ "$relation_ref": [{ "entity_id", "path", "_id" }] }`, in attribute order.
 */
export function relatedEntities(attributes: Record<string, unknown>): RelatedEntityRef[] {
  const refs: RelatedEntityRef[] = [];
  for (const [attribute, value] of Object.entries(attributes)) {
    for (const [position, item] of list(value, "$relation").entries()) {
      const r = item as { entity_id?: unknown; _schema?: unknown; _tags?: unknown };
      if (typeof r?.entity_id !== "string") continue;
      const ref: RelatedEntityRef = {
        attribute,
        kind: "relation",
        position,
        entityId: r.entity_id,
      };
      if (typeof r._schema === "string") ref.schema = r._schema;
      if (Array.isArray(r._tags)) ref.tags = r._tags.map(String);
      refs.push(ref);
    }
    for (const [position, item] of list(value, "$relation_ref").entries()) {
      const r = item as { entity_id?: unknown; path?: unknown; _id?: unknown };
      if (typeof r?.entity_id !== "string") continue;
      const ref: RelatedEntityRef = { attribute, kind: "ref", position, entityId: r.entity_id };
      if (typeof r.path === "string") ref.path = r.path;
      ref.itemId = typeof r._id === "string" ? r._id : null;
      refs.push(ref);
    }
  }
  return refs;
}

/**
 * The decision of this plan about entity `id` that a link from the decision at `before` means:
 * the last one before it (what the link was resolved against), else the first one after it.
 * Readings come after every entity, so a reading's meter gets the last decision. Null when the
 * plan does not touch the entity: then it is a stored one, loaded on demand.
 */
export function decisionOfEntity(
  rows: readonly EntityRow[],
  id: string,
  before: number = Number.POSITIVE_INFINITY,
): EntityRow | null {
  let earlier: EntityRow | null = null;
  let later: EntityRow | null = null;
  for (const row of rows) {
    if (row.decision.id !== id) continue;
    if (row.n < before) earlier = row;
    else if (row.n > before && later === null) later = row;
  }
  return earlier ?? later;
}
