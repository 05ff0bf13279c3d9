import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { query } from "./sql-json";

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
