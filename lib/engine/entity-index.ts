import { getOrInsert } from "./map-utils";
import { ownValue } from "./own-property";

export interface IndexedEntity {
  id: string;
  attributes: Record<string, unknown>;
  meter_id?: string | null;
}

/** Values compare as text, so an ERP's `123` finds a meter stored with `"123"`. */
export function valueKey(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Entities of one schema, looked up by attribute values; an attribute is indexed on first use. */
export class EntityIndex {
  readonly byId = new Map<string, IndexedEntity>();
  private readonly byAttribute = new Map<string, Map<string, Set<string>>>();

  constructor(entities: readonly IndexedEntity[] = []) {
    for (const e of entities) {
      if (e && typeof e.id === "string")
        this.byId.set(e.id, { ...e, attributes: e.attributes ?? {} });
    }
  }

  private attributeMap(attribute: string): Map<string, Set<string>> {
    let map = this.byAttribute.get(attribute);
    if (!map) {
      map = new Map();
      for (const e of this.byId.values()) this.indexOne(map, e, attribute);
      this.byAttribute.set(attribute, map);
    }
    return map;
  }

  private indexOne(map: Map<string, Set<string>>, e: IndexedEntity, attribute: string) {
    const value = ownValue(e.attributes, attribute);
    if (value === undefined || value === null) return;
    const key = valueKey(value);
    getOrInsert(map, key, () => new Set<string>()).add(e.id);
  }

  /** The one entity whose attribute equals the value, or null when none or several match. */
  single(attribute: string, value: unknown): string | null {
    const ids = this.attributeMap(attribute).get(valueKey(value));
    if (ids?.size !== 1) return null;
    const [id] = ids;
    return id ?? null;
  }

  /** Ids of the entities whose attributes equal every given value (AND). */
  find(values: Record<string, unknown>): string[] {
    let result: string[] | null = null;
    for (const attribute in values) {
      const ids = this.attributeMap(attribute).get(valueKey(values[attribute]));
      if (!ids) return [];
      result = result === null ? [...ids] : result.filter((id) => ids.has(id));
      if (result.length === 0) return [];
    }
    return result ?? [];
  }

  /** Adds or replaces an entity, keeping every built attribute index current. */
  put(entity: IndexedEntity) {
    const old = this.byId.get(entity.id);
    for (const [attribute, map] of this.byAttribute) {
      if (old) {
        const v = ownValue(old.attributes, attribute);
        if (v !== undefined && v !== null) map.get(valueKey(v))?.delete(old.id);
      }
      this.indexOne(map, entity, attribute);
    }
    this.byId.set(entity.id, entity);
  }
}
