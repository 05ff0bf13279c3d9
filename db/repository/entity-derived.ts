import { sql } from "drizzle-orm";
import { deepEqual } from "../../lib/engine/deep-equal";
import type { Db } from "../client";
import { copyField, copyLines, sendCopyLines } from "./copy-rows";
import { arrayLiteral, plainArrayLiteral, sendAhead, settleInOrder } from "./driver";
import { LOCK_CLASS } from "./locks";
import { query } from "./sql-json";

/**
 * entity_keys and entity_relations are derived from entities' attributes on every write. They are
 * computed here, in one place, from the attributes the writer has in hand, and sent by COPY: a
 * 40k-entity import spent seconds having the database take its own attributes apart again
 * (jsonb_each per row, then an INSERT with a conflict check per key).
 */

/** How derived rows are written (writeDerivedRows, writeEntities). */
export interface DerivedWriteOptions {
  /** The keyed pairs, when the writer holds them already (keyedAttributes). */
  keyed?: ReadonlySet<string>;
}

/** The fields of a stored entity the derived rows come from. */
export interface DerivedSource {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPEATABLE_KINDS = ["email", "phone"] as const;

/**
 * What an attribute is looked up by (SPEC-ENTITIES 2): a scalar by its text (as the engine
 * compares values, `valueKey`), each item of a repeatable attribute (`[{ "email": ... }]`) by its
 * value. Objects (relations) and nulls are not keys. Distinct values only.
 */
export function attributeKeys(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (!Array.isArray(value)) return [];
  const keys: string[] = [];
  for (const item of value) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
    for (const kind of REPEATABLE_KINDS) {
      const v = (item as Record<string, unknown>)[kind];
      if (typeof v === "string" && !keys.includes(v)) keys.push(v);
    }
  }
  return keys;
}

/** A JSON value as Postgres' `->>` gives it: strings as they are, null as null, others as JSON. */
function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export interface RelationRow {
  attribute: string;
  position: number;
  kind: "relation" | "ref";
  to_id: string;
  to_schema: string | null;
  tags: unknown[] | null;
  path: string | null;
  item_id: string | null;
}

/**
 * The relation rows of one attribute (SPEC-ENTITIES 3): an item of its `$relation` list (kind
 * `relation`) or `$relation_ref` list (kind `ref`) that names an entity by id, at its position.
 * Where both lists have an item at one position, the relation's is kept.
 */
export function attributeRelations(attribute: string, value: unknown): RelationRow[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const rows: RelationRow[] = [];
  const taken = new Set<number>();
  for (const [key, kind] of [
    ["$relation", "relation"],
    ["$relation_ref", "ref"],
  ] as const) {
    const list = (value as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, position) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) return;
      const i = item as Record<string, unknown>;
      if (typeof i.entity_id !== "string" || !UUID.test(i.entity_id) || taken.has(position)) return;
      taken.add(position);
      rows.push({
        attribute,
        position,
        kind,
        to_id: i.entity_id,
        to_schema: textOf(i._schema),
        tags: Array.isArray(i._tags) ? i._tags : null,
        path: textOf(i.path),
        item_id: textOf(i._id),
      });
    });
  }
  return rows;
}

type Pairs = { ids: string[]; attributes: string[] };

const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Whether two lists of lookup keys differ (as sets). */
function keysDiffer(a: readonly string[], b: readonly string[]): boolean {
  return a.length !== b.length || a.some((k) => !b.includes(k));
}

/**
 * Writes the keys and relation rows of `sources`. `replace` says which rows go first: `all` of the
 * entities' (their attributes were replaced: an undo), the rows of the attributes each source
 * names (`attributes`: an update merges these over the stored ones, the rest stay as they are), or
 * `none` (new entities, which have none yet). With the `stored` attributes of an update, only the
 * attributes whose keys (relation rows) change have them replaced: a contract update that sends
 * its number again leaves the number's key row alone.
 */
export async function writeDerivedRows(...args: Parameters<typeof sendDerivedRows>) {
  await (await sendDerivedRows(...args)).done;
}

/**
 * writeDerivedRows, resolved once its statements are sent (the next statement queues behind
 * them), with `done` for when they have run.
 */
export async function sendDerivedRows(
  db: Db,
  sources: readonly DerivedSource[],
  replace: "none" | "attributes" | "all",
  stored?: ReadonlyMap<string, Record<string, unknown>>,
  options: DerivedWriteOptions = {},
): Promise<{ done: Promise<void> }> {
  if (sources.length === 0) return { done: Promise.resolve() };
  const keyed = options.keyed ?? (await keyedAttributes(db));
  const isKeyed = keyedLookup(keyed);
  // Per source, the attributes whose rows are written (all of them when unset).
  let keyedOnly: string[][] | undefined;
  let relatedOnly: string[][] | undefined;
  // Deletes sent ahead of the COPYs.
  const deleted: Promise<void>[] = [];
  if (replace === "all") {
    const list = sql`${plainArrayLiteral(sources.map((s) => s.id))}::uuid[]`;
    await db.execute(sql`DELETE FROM entity_keys WHERE entity_id = ANY(${list})`);
    await db.execute(sql`DELETE FROM entity_relations WHERE from_id = ANY(${list})`);
  } else if (replace === "attributes") {
    keyedOnly = new Array(sources.length);
    relatedOnly = new Array(sources.length);
    const keyed: Pairs = { ids: [], attributes: [] };
    const related: Pairs = { ids: [], attributes: [] };
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i] as DerivedSource;
      const before = stored?.get(s.id);
      const keys: string[] = [];
      const relations: string[] = [];
      for (const attribute of Object.keys(s.attributes)) {
        const now = s.attributes[attribute];
        const then = before?.[attribute];
        // Rows an attribute already has, as it has them again, stay where they are; rows it
        // cannot have had (no keys, not an object before) need no delete.
        const keyedHere = isKeyed(s.entity_schema, attribute);
        const thenKeys = before && keyedHere ? attributeKeys(then) : [];
        if (keyedHere && (!before || keysDiffer(attributeKeys(now), thenKeys))) {
          if (!before || thenKeys.length > 0) {
            keyed.ids.push(s.id);
            keyed.attributes.push(attribute);
          }
          keys.push(attribute);
        }
        if (!before || ((isObject(now) || isObject(then)) && !deepEqual(now, then))) {
          if (!before || isObject(then)) {
            related.ids.push(s.id);
            related.attributes.push(attribute);
          }
          relations.push(attribute);
        }
      }
      keyedOnly[i] = keys;
      relatedOnly[i] = relations;
    }
    const named = (p: Pairs) =>
      sql`unnest(${plainArrayLiteral(p.ids)}::uuid[], ${arrayLiteral(p.attributes)}::text[]) AS u(id, attribute)`;
    if (keyed.ids.length > 0)
      deleted.push(
        (
          await sendAhead(
            db,
            sql`DELETE FROM entity_keys k USING ${named(keyed)} WHERE k.entity_id = u.id AND k.attribute = u.attribute`,
          )
        ).done,
      );
    if (related.ids.length > 0)
      deleted.push(
        (
          await sendAhead(
            db,
            sql`DELETE FROM entity_relations r USING ${named(related)} WHERE r.from_id = u.id AND r.attribute = u.attribute`,
          )
        ).done,
      );
  }
  try {
    deleted.push(...(await copyDerivedRows(db, sources, isKeyed, keyedOnly, relatedOnly)));
  } catch (error) {
    // A failed delete fails the COPY behind it: its own error says what went wrong.
    await settleInOrder(deleted);
    throw error;
  }
  const done = settleInOrder(deleted);
  done.catch(() => {});
  return { done };
}

const KEY_COLUMNS = ["entity_id", "entity_schema", "attribute", "value"];
const RELATION_COLUMNS = [
  "from_id",
  "attribute",
  "position",
  "kind",
  "to_id",
  "to_schema",
  "tags",
  "path",
  "item_id",
];

/**
 * The COPYs of writeDerivedRows (per source, the attributes `keyedOnly` / `relatedOnly` name),
 * the relations' right behind the keys': resolves once both are sent, with their answers in order.
 */
async function copyDerivedRows(
  db: Db,
  sources: readonly DerivedSource[],
  isKeyed: (schema: string, attribute: string) => boolean,
  keyedOnly: string[][] | undefined,
  relatedOnly: string[][] | undefined,
): Promise<Promise<void>[]> {
  // Built slice by slice while the server takes the previous one (ids are UUIDs: no escaping).
  const names = new Map<string, string>();
  const field = (text: string) => {
    let escaped = names.get(text);
    if (escaped === undefined) {
      escaped = copyField(text);
      names.set(text, escaped);
    }
    return escaped;
  };
  const keyedOf = (s: DerivedSource, i: number) => keyedOnly?.[i] ?? Object.keys(s.attributes);
  const relatedOf = (s: DerivedSource, i: number) => relatedOnly?.[i] ?? Object.keys(s.attributes);
  const keyLines = (start: number, end: number) => {
    let text = "";
    for (let i = start; i < end; i++) {
      const s = sources[i] as DerivedSource;
      const head = `${s.id}\t${field(s.entity_schema)}\t`;
      for (const attribute of keyedOf(s, i)) {
        if (!isKeyed(s.entity_schema, attribute)) continue;
        for (const key of attributeKeys(s.attributes[attribute]))
          text += `${head}${field(attribute)}\t${copyField(key)}\n`;
      }
    }
    return text;
  };
  const relationLines = (start: number, end: number) => {
    let text = "";
    for (let i = start; i < end; i++) {
      const s = sources[i] as DerivedSource;
      for (const attribute of relatedOf(s, i)) {
        const value = s.attributes[attribute];
        if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
        for (const r of attributeRelations(attribute, value))
          text += `${s.id}\t${field(attribute)}\t${r.position}\t${r.kind}\t${r.to_id}\t${copyField(r.to_schema)}\t${copyField(r.tags)}\t${copyField(r.path)}\t${copyField(r.item_id)}\n`;
      }
    }
    return text;
  };
  const anyKeys = sources.some((s, i) =>
    keyedOf(s, i).some(
      (a) => isKeyed(s.entity_schema, a) && attributeKeys(s.attributes[a]).length > 0,
    ),
  );
  const anyRelations = sources.some((s, i) =>
    relatedOf(s, i).some((a) => isObject(s.attributes[a])),
  );
  const sent: Promise<void>[] = [];
  try {
    if (anyKeys)
      sent.push(
        (await sendCopyLines(db, "entity_keys", KEY_COLUMNS, sources.length, keyLines)).done,
      );
    if (anyRelations)
      sent.push(
        (
          await sendCopyLines(
            db,
            "entity_relations",
            RELATION_COLUMNS,
            sources.length,
            relationLines,
          )
        ).done,
      );
  } catch (error) {
    // A failed keys COPY fails the one behind it: its own error says what went wrong.
    await settleInOrder(sent);
    throw error;
  }
  return sent;
}

const pairName = (schema: string, attribute: string) => `${schema}\u0000${attribute}`;

/**
 * Whether a (schema, attribute) pair is keyed, by schema then attribute: asked for every attribute
 * of every entity written, and a pair's name made for each (a new string to hash every time) cost
 * a 40k-entity import about 15 ms of its thread.
 */
function keyedLookup(keyed: ReadonlySet<string>): (schema: string, attribute: string) => boolean {
  const bySchema = new Map<string, Set<string>>();
  for (const name of keyed) {
    const at = name.indexOf("\u0000");
    const schema = name.slice(0, at);
    let attributes = bySchema.get(schema);
    if (!attributes) {
      attributes = new Set();
      bySchema.set(schema, attributes);
    }
    attributes.add(name.slice(at + 1));
  }
  return (schema, attribute) => bySchema.get(schema)?.has(attribute) ?? false;
}

/**
 * The (schema, attribute) pairs entity_keys holds keys for. A writer of entities reads them under
 * the keyed-attributes lock (holdKeyAttributes), so none can be added while it writes.
 */
export async function keyedAttributes(db: Db): Promise<Set<string>> {
  const rows = await query<{ entity_schema: string; attribute: string }>(
    db,
    sql`SELECT entity_schema, attribute FROM entity_key_attributes`,
  );
  return new Set(rows.map((r) => pairName(r.entity_schema, r.attribute)));
}

/**
 * Taken by every transaction that writes entities, before its other locks: registering a new
 * keyed attribute (registerKeyAttributes) waits until none writes, and none starts meanwhile, so
 * no entity is stored without the keys its lookups will use.
 */
export async function holdKeyAttributes(tx: Db) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${LOCK_CLASS.keyAttributes}::int, 0)`);
}

/**
 * Makes sure entity_keys holds keys for every pair: those it does not yet are registered, in a
 * short transaction of their own (before the import's), and the keys of the entities stored by
 * then are written (soft-deleted ones too: a restore brings them back into lookups). Nearly
 * always every pair is known already: one query.
 */
export async function registerKeyAttributes(
  db: Db,
  pairs: readonly { entity_schema: string; attribute: string }[],
) {
  const wanted = new Map<string, { entity_schema: string; attribute: string }>();
  for (const p of pairs)
    if (p.attribute !== "_id") wanted.set(pairName(p.entity_schema, p.attribute), p);
  if (wanted.size === 0) return;
  const missing = (known: Set<string>) =>
    [...wanted.entries()].filter(([name]) => !known.has(name)).map(([, p]) => p);
  if (missing(await keyedAttributes(db)).length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS.keyAttributes}::int, 0)`);
    for (const p of missing(await keyedAttributes(tx))) {
      await tx.execute(
        sql`INSERT INTO entity_key_attributes (entity_schema, attribute) VALUES (${p.entity_schema}, ${p.attribute})`,
      );
      // Rows written by hand for it (or left from before) give way to the derived ones.
      await tx.execute(
        sql`DELETE FROM entity_keys WHERE entity_schema = ${p.entity_schema} AND attribute = ${p.attribute}`,
      );
      const stored = await query<{ id: string; value: { v: unknown } }>(
        tx,
        sql`SELECT id::text AS id, jsonb_build_object('v', attributes -> ${p.attribute}) AS value
            FROM entities
            WHERE entity_schema = ${p.entity_schema} AND attributes -> ${p.attribute} IS NOT NULL`,
      );
      const head = `\t${copyField(p.entity_schema)}\t${copyField(p.attribute)}\t`;
      await copyLines(
        tx,
        "entity_keys",
        ["entity_id", "entity_schema", "attribute", "value"],
        stored.length,
        (start, end) => {
          let text = "";
          for (let i = start; i < end; i++) {
            const row = stored[i] as { id: string; value: { v: unknown } };
            for (const key of attributeKeys(row.value.v))
              text += `${row.id}${head}${copyField(key)}\n`;
          }
          return text;
        },
      );
    }
  });
}

/** The lookup keys stored for these entities, as rows. */
export async function storedEntityKeys(
  db: Db,
  ids: readonly string[],
): Promise<{ entity_schema: string; attribute: string; value: string }[]> {
  if (ids.length === 0) return [];
  return query(
    db,
    sql`SELECT entity_schema, attribute, value FROM entity_keys
        WHERE entity_id = ANY(${plainArrayLiteral(ids)}::uuid[])`,
  );
}
