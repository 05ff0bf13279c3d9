import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { plainArrayLiteral } from "./driver";
import { query } from "./sql-json";

/**
 * Rebuilds the relation rows of entities from their attributes (`$relation` and `$relation_ref`
 * lists, SPEC-ENTITIES 3), set-based: one delete and one insert for all of them.
 */
export async function refreshRelations(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return;
  const idList = sql`${plainArrayLiteral(ids)}::uuid[]`;
  await db.execute(sql`DELETE FROM entity_relations WHERE from_id = ANY(${idList})`);
  await db.execute(
    sql`INSERT INTO entity_relations (from_id, attribute, position, kind, to_id, to_schema, tags, path, item_id)
        SELECT e.id, kv.key, (l.ord - 1)::int, l.kind, (l.item ->> 'entity_id')::uuid, l.item ->> '_schema',
          CASE WHEN jsonb_typeof(l.item -> '_tags') = 'array' THEN l.item -> '_tags' END,
          l.item ->> 'path', l.item ->> '_id'
        FROM entities e, jsonb_each(e.attributes) kv,
        LATERAL (
          SELECT 'relation' AS kind, r.item, r.ord FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(kv.value -> '$relation') = 'array' THEN kv.value -> '$relation' ELSE '[]'::jsonb END
          ) WITH ORDINALITY AS r(item, ord)
          UNION ALL
          SELECT 'ref', r.item, r.ord FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(kv.value -> '$relation_ref') = 'array' THEN kv.value -> '$relation_ref' ELSE '[]'::jsonb END
          ) WITH ORDINALITY AS r(item, ord)
        ) l
        WHERE e.id = ANY(${idList}) AND jsonb_typeof(kv.value) = 'object'
          AND (l.item ->> 'entity_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        ON CONFLICT DO NOTHING`,
  );
}

export interface RelatedEntity {
  /** `out`: this entity's attribute names the other; `in`: the other's attribute names this one. */
  direction: "out" | "in";
  attribute: string;
  kind: "relation" | "ref";
  entity_id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  tags: string[] | null;
}

/**
 * The live entities related to one entity, in both directions (the meter page, support). Soft-
 * deleted entities on either side are left out.
 */
export async function relatedEntities(db: Db, id: string): Promise<RelatedEntity[]> {
  return query<RelatedEntity>(
    db,
    sql`SELECT 'out' AS direction, r.attribute, r.kind, o.id::text AS entity_id, o.entity_schema, o.attributes, r.tags
        FROM entity_relations r JOIN entities o ON o.id = r.to_id AND o.deleted_at IS NULL
        WHERE r.from_id = ${id}::uuid
        UNION ALL
        SELECT 'in', r.attribute, r.kind, o.id::text, o.entity_schema, o.attributes, r.tags
        FROM entity_relations r JOIN entities o ON o.id = r.from_id AND o.deleted_at IS NULL
        WHERE r.to_id = ${id}::uuid
        ORDER BY 1 DESC, 2, 4`,
  );
}
