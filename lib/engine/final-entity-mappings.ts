import type { CompiledEntityItem } from "./compile-entities";

/** Any schema at all: relation items returned by an expression name theirs only at run time. */
export const ANY = "\u0000any";

/** The schemas an entity mapping's relation fields of `kinds` name (ANY for an expression). */
export function relatedSchemas(
  item: CompiledEntityItem,
  kinds: readonly ("relations" | "relation_refs")[],
): string[] {
  const schemas: string[] = [];
  for (const f of item.fields) {
    if (f.kind !== "relations" && f.kind !== "relation_refs") continue;
    if (!kinds.includes(f.kind)) continue;
    if (f.items === null) schemas.push(ANY);
    else for (const i of f.items) schemas.push(i.entitySchema);
  }
  return schemas;
}

/**
 * Per entity mapping, in configuration order: whether the entities it creates are final once it
 * is planned, so they can be written while later mappings are planned. They are when no later
 * mapping can change or delete an entity of a schema it creates (its own, or a stub's): a later
 * mapping writes (updates, deletes, prunes) entities of its own schema, and its `relation_refs`
 * put values into the related entities. Only a leading run of mappings is final: a counter's
 * meter, created by an earlier mapping, must be written before the counter is.
 */
export function finalEntityMappings(items: readonly CompiledEntityItem[]): boolean[] {
  const final: boolean[] = [];
  let leading = true;
  items.forEach((item, k) => {
    const creates = new Set([
      item.entitySchema,
      ...relatedSchemas(item, ["relations", "relation_refs"]),
    ]);
    const touched = (later: CompiledEntityItem) =>
      [
        later.entitySchema,
        // A meter that goes takes its counters along.
        ...(later.entitySchema === "meter" ? ["meter_counter"] : []),
        ...relatedSchemas(later, ["relation_refs"]),
      ].some((s) => s === ANY || creates.has(s) || creates.has(ANY));
    leading &&= !items.slice(k + 1).some(touched);
    final.push(leading);
  });
  return final;
}
