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

/**
 * Ids under one key: the id itself while it is the only one (nearly always: a unique id), a set
 * once there are more (a Set per key cost a 40k-entity plan a tenth of its time, in allocations).
 */
type Ids = string | Set<string>;

const idCount = (ids: Ids | undefined) =>
  ids === undefined ? 0 : typeof ids === "string" ? 1 : ids.size;

function hasId(ids: Ids, id: string) {
  return typeof ids === "string" ? ids === id : ids.has(id);
}

function addId(map: Map<string, Ids>, key: string, id: string) {
  const ids = map.get(key);
  if (ids === undefined) map.set(key, id);
  else if (typeof ids !== "string") ids.add(id);
  else if (ids !== id) map.set(key, new Set([ids, id]));
}

function deleteId(map: Map<string, Ids>, key: string, id: string) {
  const ids = map.get(key);
  if (ids === undefined) return;
  if (typeof ids === "string") {
    if (ids === id) map.delete(key);
  } else {
    ids.delete(id);
    if (ids.size === 0) map.delete(key);
  }
}

/** Entities of one schema, looked up by attribute values; an attribute is indexed on first use. */
export class EntityIndex {
  readonly byId = new Map<string, IndexedEntity>();
  private readonly byAttribute = new Map<string, Map<string, Ids>>();
  /** Counters by the meter they belong to (null: none), built on first use. */
  private byMeter: Map<string | null, Set<string>> | null = null;

  constructor(entities: readonly IndexedEntity[] = []) {
    for (const e of entities) {
      if (e && typeof e.id === "string")
        this.byId.set(e.id, { ...e, attributes: e.attributes ?? {} });
    }
  }

  private attributeMap(attribute: string): Map<string, Ids> {
    let map = this.byAttribute.get(attribute);
    if (!map) {
      map = new Map();
      for (const e of this.byId.values()) this.indexOne(map, e, attribute);
      this.byAttribute.set(attribute, map);
    }
    return map;
  }

  private indexOne(map: Map<string, Ids>, e: IndexedEntity, attribute: string) {
    const value = ownValue(e.attributes, attribute);
    if (typeof value === "string") addId(map, value, e.id);
    else for (const key of indexKeys(value)) addId(map, key, e.id);
  }

  /** The one entity whose attribute equals the value, or null when none or several match. */
  single(attribute: string, value: unknown): string | null {
    const ids = this.attributeMap(attribute).get(valueKey(value));
    if (idCount(ids) !== 1) return null;
    if (typeof ids === "string") return ids;
    const [id] = ids as Set<string>;
    return id ?? null;
  }

  /** Ids of the entities whose attributes equal every given value (AND). */
  find(values: Record<string, unknown>): string[] {
    let result: string[] | null = null;
    for (const attribute in values) {
      const ids = this.attributeMap(attribute).get(valueKey(values[attribute]));
      if (ids === undefined) return [];
      result =
        result === null
          ? typeof ids === "string"
            ? [ids]
            : [...ids]
          : result.filter((id) => hasId(ids, id));
      if (result.length === 0) return [];
    }
    return result ?? [];
  }

  /**
   * Ids of the entities of one meter (or of none) whose attributes equal every value: a counter
   * mapped with its meter. Looked up among that meter's few counters, not among every counter
   * with the same OBIS code, which made 20k counters cost seconds.
   */
  findOfMeter(values: Record<string, unknown>, meterId: string | null): string[] {
    if (!this.byMeter) {
      this.byMeter = new Map();
      for (const e of this.byId.values())
        getOrInsert(this.byMeter, e.meter_id ?? null, () => new Set<string>()).add(e.id);
    }
    const out: string[] = [];
    for (const owner of meterId === null ? [null] : [meterId, null]) {
      for (const id of this.byMeter.get(owner) ?? []) {
        const e = this.byId.get(id) as IndexedEntity;
        let all = true;
        for (const attribute in values) {
          if (!indexKeys(ownValue(e.attributes, attribute)).includes(valueKey(values[attribute]))) {
            all = false;
            break;
          }
        }
        if (all) out.push(id);
      }
    }
    return out;
  }

  /** Adds or replaces an entity, keeping every built attribute index current. */
  put(entity: IndexedEntity) {
    const old = this.byId.get(entity.id);
    if (this.byMeter) {
      if (old) this.byMeter.get(old.meter_id ?? null)?.delete(old.id);
      getOrInsert(this.byMeter, entity.meter_id ?? null, () => new Set<string>()).add(entity.id);
    }
    for (const [attribute, map] of this.byAttribute) {
      if (old) {
        const before = ownValue(old.attributes, attribute);
        // An update mostly leaves the looked-up attributes as they were (same id, same value).
        if (old.id === entity.id && before === ownValue(entity.attributes, attribute)) continue;
        for (const key of indexKeys(before)) deleteId(map, key, old.id);
      }
      this.indexOne(map, entity, attribute);
    }
    this.byId.set(entity.id, entity);
  }

  /** Takes an entity out of every lookup (a delete or purge earlier in the payload). */
  remove(id: string) {
    const old = this.byId.get(id);
    if (!old) return;
    this.byMeter?.get(old.meter_id ?? null)?.delete(id);
    for (const [attribute, map] of this.byAttribute)
      for (const key of indexKeys(ownValue(old.attributes, attribute))) deleteId(map, key, id);
    this.byId.delete(id);
  }
}

/**
 * The keys an attribute value is found by: the value itself, and for a repeatable attribute
 * (`[{ "email": "a@b.de" }]`, SPEC-ENTITIES 2) each item's value too, so it matches when any
 * stored item has the value.
 */
function indexKeys(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const keys = [valueKey(value)];
  if (Array.isArray(value))
    for (const item of value) {
      if (item === null || typeof item !== "object") continue;
      for (const type of ["email", "phone"]) {
        const v = (item as Record<string, unknown>)[type];
        if (typeof v === "string") keys.push(v);
      }
    }
  return keys;
}
