import type { CompiledField, CompiledReadingItem } from "./compile-config";
import { valueKey } from "./entity-index";
import { indexState } from "./entity-indexes";
import type { Slots } from "./evaluate-slots";
import { isItemObject } from "./extract-items";
import type { LateEntities } from "./late-entities";
import { mapEntityFields } from "./map-entity-fields";
import { mapFields, resolveUniqueIds } from "./map-fields";
import { getOrInsert } from "./map-utils";
import { externalIdOf } from "./normalize-reading";
import { setOwnValue } from "./own-property";
import { decideEntities, keepDecided } from "./plan-entities";
import type { PreparedImport } from "./prepare-import";
import { resolveMeterAndCounter } from "./resolve-meter";
import { keepStaged, type StagedReading, stageReading } from "./stage-reading";
import { isStorableText } from "./storable-text";
import { parseTimestamp } from "./timestamp";
import type { ExistingState, PlanWarning } from "./types";

/** Entity lookups a payload needs: per schema and attribute, the values (as text) to find. */
export type EntityKeys = Map<string, Map<string, Set<string>>>;

/** Stored readings a payload can touch, per meter: by external id, by Berlin day, or all (prune). */
export interface ReadingKey {
  meter_id: string;
  external_id: string | null;
  berlin_day: string | null;
}

/**
 * Stored readings a payload can touch: per payload reading its meter, external id and Berlin day
 * (the day matters only when the external id finds nothing: deduplication and strict-date), and
 * the meters a prune scope covers (all their readings).
 */
export interface ReadingKeys {
  keys: ReadingKey[];
  wholeMeters: string[];
  /**
   * Load the day's readings even where the external id found one: needed when the plan can
   * remove a found reading before a later reading looks for it (delete and prune items).
   */
  daysForAll: boolean;
}

function addKey(keys: EntityKeys, schema: string, values: Record<string, unknown>) {
  const bySchema = getOrInsert(keys, schema, () => new Map<string, Set<string>>());
  for (const attribute in values) {
    const value = values[attribute];
    // Never sent to the database: its reading or entity fails with INVALID_TEXT instead.
    if (typeof value === "string" && !isStorableText(value)) continue;
    getOrInsert(bySchema, attribute, () => new Set<string>()).add(valueKey(value));
  }
}

function* elementsOf(prepared: PreparedImport) {
  for (const p of prepared.readings) {
    if (!p.extraction.ok) continue;
    const items = p.extraction.items;
    for (let i = 0; i < items.length; i++) {
      if (!isItemObject(items[i])) continue;
      yield {
        item: p.item,
        slots: { element: items[i], root: prepared.payload, computed: p.computed[i] } as Slots,
      };
    }
    if (p.root)
      yield {
        item: p.item,
        slots: { element: undefined, root: prepared.payload, computed: p.root.computed } as Slots,
      };
  }
}

/**
 * Step one of loading state: which meters, counters and other entities the payload refers to.
 * The shell loads entities matching any of these (a superset: the engine applies the AND).
 */
export async function entityLookupKeys(prepared: PreparedImport): Promise<EntityKeys> {
  const keys: EntityKeys = new Map();
  for (const { item, slots } of elementsOf(prepared)) {
    if (prepared.slicer.due()) await prepared.slicer.pause();
    addKey(keys, "meter", resolveUniqueIds(item.meter, slots).values);
    if (item.counter) addKey(keys, "meter_counter", resolveUniqueIds(item.counter, slots).values);
  }
  for (const p of prepared.entities) {
    if (p.enabled !== true || !p.extraction.ok) continue;
    for (let k = 0; k < p.extraction.items.length; k++) {
      if (prepared.slicer.due()) await prepared.slicer.pause();
      const element = p.extraction.items[k];
      const slots: Slots = { element, root: prepared.payload, computed: p.computed[k] };
      // Not kept for the plan, which maps the input again: 40k mappings kept alive from here to
      // their planning were copied by every young-generation collection in between, which cost
      // more than mapping twice (in-process, a 40k-entity import's collections took about 100 ms
      // less, and the import about 5-10% less time).
      const mapped = mapEntityFields(p.item, slots, p.env);
      const ids: Record<string, unknown> = {};
      for (const u of p.item.uniqueIds) {
        const v = mapped.values.get(u);
        const value = v?.kind === "value" ? v.value : undefined;
        if (value != null && typeof value !== "object") setOwnValue(ids, u, value);
      }
      addKey(keys, p.item.entitySchema, ids);
      // Related entities are looked up too (relations resolve against stored ones).
      for (const v of mapped.values.values())
        if (v.kind !== "value") for (const r of v.items) addKey(keys, r.schema, r.ids);
      const meter = mapped.values.get("meter");
      const ref = meter?.kind === "value" ? meter.value : undefined;
      if (
        p.item.entitySchema === "meter_counter" &&
        ref !== null &&
        typeof ref === "object" &&
        !Array.isArray(ref)
      ) {
        addKey(keys, "meter", ref as Record<string, unknown>);
      }
    }
  }
  return keys;
}

const keyFieldCache = new WeakMap<CompiledReadingItem, CompiledField[]>();

/** Only the fields that locate stored readings: evaluating all of them twice would be waste. */
function keyFields(item: CompiledReadingItem): CompiledField[] {
  let fields = keyFieldCache.get(item);
  if (!fields) {
    fields = item.fields.filter(
      (f) => f.attribute === "external_id" || f.attribute === "timestamp",
    );
    keyFieldCache.set(item, fields);
  }
  return fields;
}

/**
 * Step two: with the entities loaded, which stored readings the payload can match. Entities are
 * planned first exactly as the plan will, so meters created or changed by the payload count.
 * Every reading is staged on the way (meter, counter, mapped and validated values: all the plan's
 * work that does not need stored readings) and kept for the plan against the same entities.
 * `onBatch` receives the new keys every `batchSize` of them as they are found, so the shell can
 * start looking them up while the rest are staged; the keys are then not returned (`keys` is
 * empty), since nobody needs them twice.
 */
export async function readingLookupKeys(
  prepared: PreparedImport,
  entityState: ExistingState,
  onBatch?: (keys: ReadingKey[], daysForAll: boolean) => void,
  batchSize = 25_000,
  /** Stored entities of some schemas, still arriving (LateEntities). */
  late?: LateEntities,
): Promise<ReadingKeys> {
  const daysForAll = prepared.readings.some((p) => p.item.mode !== "upsert");
  // Without readings there is nothing to look up: planning the entities twice would be waste.
  if (prepared.readings.length === 0) return { keys: [], wholeMeters: [], daysForAll };
  const indexes = indexState(entityState);
  const warnings: PlanWarning[] = [];
  const starts: number[] = [];
  const decisions = await decideEntities(
    prepared.entities,
    prepared.payload,
    indexes,
    warnings,
    prepared.slicer,
    undefined,
    starts,
    late,
  );
  // The plan that follows takes these instead of deciding every entity again. Staging resolves
  // meters and counters without changing the indexes, so they are as the decisions left them.
  keepDecided(prepared.entities, entityState, { decisions, starts, indexes, warnings });
  const refs = new Map();
  // Not deduplicated: a payload rarely repeats a key, and the loader drops rows found twice.
  const keys: ReadingKey[] = [];
  const wholeMeters = new Set<string>();
  let batch: ReadingKey[] = [];
  const add = (meterId: string, externalId: string | null, day: string | null) => {
    if (externalId === null && day === null) return;
    const key = { meter_id: meterId, external_id: externalId, berlin_day: day };
    if (!onBatch) {
      keys.push(key);
      return;
    }
    batch.push(key);
    if (batch.length >= batchSize) {
      onBatch(batch, daysForAll);
      batch = [];
    }
  };
  const stored = (meterId: string | undefined): meterId is string =>
    meterId !== undefined && !meterId.startsWith("new:");
  for (const p of prepared.readings) {
    if (!p.extraction.ok) continue;
    const { item } = p;
    const items = p.extraction.items;
    const staged = new Array<StagedReading>(items.length);
    for (let i = 0; i < items.length; i++) {
      if (prepared.slicer.due()) await prepared.slicer.pause();
      const slots: Slots = { element: items[i], root: prepared.payload, computed: p.computed[i] };
      const reading = stageReading(indexes, refs, item, i, items[i], slots);
      staged[i] = reading;
      const meterId = reading.meter?.id;
      if (!stored(meterId)) continue;
      if (item.mode === "upsert-prune-scope") wholeMeters.add(meterId);
      if (reading.normalized) {
        add(meterId, reading.externalId, reading.normalized.time?.berlin_day ?? null);
      } else {
        // Failed readings still name their stored twin (prune protects it).
        const values = mapFields(keyFields(item), slots).values;
        add(
          meterId,
          externalIdOf(values.external_id),
          parseTimestamp(values.timestamp)?.berlin_day ?? null,
        );
      }
    }
    keepStaged(p, entityState, staged);
    if (p.root) {
      const slots: Slots = {
        element: undefined,
        root: prepared.payload,
        computed: p.root.computed,
      };
      const meterId = resolveMeterAndCounter(item, slots, indexes.meters, indexes.counters, refs)
        .meter?.id;
      if (stored(meterId) && item.mode === "upsert-prune-scope") wholeMeters.add(meterId);
    }
  }
  if (onBatch && batch.length > 0) onBatch(batch, daysForAll);
  return { keys, wholeMeters: [...wholeMeters], daysForAll };
}
