import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BatchedReadingFeed,
  compileConfig,
  type ExistingState,
  type PlanWrites,
  planImport,
  planPreparedWithWrites,
  planWrites,
  prepareImport,
  type ReadingKey,
  readingLookupKeys,
  type StoredReading,
  simulateMapping,
  validateConfig,
} from "../lib/engine";
import { byTimeThenId } from "../lib/engine/reading-feed";
import { instantDay } from "../lib/engine/timestamp";

/**
 * One runner for the data-driven corpus: each JSON file under test/corpus is a case with a
 * configuration, a payload, optional existing state, and what the engine must answer.
 */
interface CorpusCase {
  description: string;
  spec?: string;
  config: unknown;
  payload?: unknown;
  state?: Record<string, unknown>;
  now?: string;
  /** The integration's variables, for env_var_ref (SPEC-ENTITIES 5). */
  variables?: Record<string, { value: string; secret: boolean }>;
  expected: {
    /** Compared with toMatchObject: list the errors and warnings in order, each with the keys that matter. */
    validation?: unknown;
    /** The whole plan, compared with toEqual. */
    plan?: unknown;
    /** A subset of the plan, compared with toMatchObject (arrays must still match in length). */
    plan_match?: unknown;
    /** The whole mapping simulation, compared with toEqual. */
    simulation?: unknown;
  };
}

const root = join(import.meta.dirname, "corpus");

/**
 * What the database's lookup (ReadingsLoader) returns for a batch of keys, over in-memory rows:
 * the rows each key's external id finds, the rows of its meter and Berlin day where it found none
 * (or for all keys, with daysForAll), and every row of the whole meters; repeats included.
 */
function lookUp(
  rows: StoredReading[],
  keys: readonly ReadingKey[],
  daysForAll: boolean,
  wholeMeters: readonly string[],
): StoredReading[] {
  const found: StoredReading[] = [];
  for (const k of keys) {
    const hits = rows.filter(
      (r) => r.meter_id === k.meter_id && r.external_id !== null && r.external_id === k.external_id,
    );
    found.push(...hits);
    if (k.berlin_day !== null && (daysForAll || hits.length === 0))
      found.push(
        ...rows.filter(
          (r) =>
            r.meter_id === k.meter_id && (r.berlin_day ?? instantDay(r.timestamp)) === k.berlin_day,
        ),
      );
  }
  found.push(...rows.filter((r) => wholeMeters.includes(r.meter_id)));
  return found;
}

/**
 * The import's way: the stored readings arrive batch by batch while the plan runs (one key per
 * batch, so a meter spread over the payload spans many), against the state's entities only.
 */
async function planFromFeed(
  compiled: Parameters<typeof prepareImport>[0],
  payload: unknown,
  state: ExistingState,
  variables: Record<string, { value: string; secret: boolean }>,
) {
  const rows = (state.readings ?? []) as StoredReading[];
  const entities: ExistingState = {
    meters: state.meters,
    counters: state.counters,
    entities: state.entities,
  };
  const prepared = await prepareImport(compiled, payload, { variables });
  const feed = new BatchedReadingFeed();
  const add = (keys: readonly ReadingKey[], daysForAll: boolean, wholeMeters: string[] = []) => {
    const found = lookUp(rows, keys, daysForAll, wholeMeters);
    feed.add([...keys.map((k) => k.meter_id), ...wholeMeters], async () => found);
  };
  const keys = await readingLookupKeys(prepared, entities, add, 1);
  add([], keys.daysForAll, keys.wholeMeters);
  return planPreparedWithWrites(prepared, { ...entities, readings: [] }, { feed });
}

/** Writes in one order (by id), for comparing two ways of computing them. */
function sortedWrites(w: PlanWrites) {
  const byId = <T extends { id: string }>(rows: T[]) =>
    [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    entityCreates: byId(w.entityCreates),
    entityUpdates: byId(w.entityUpdates),
    readingInserts: byId(w.readingInserts),
    readingUpdates: byId(w.readingUpdates),
    readingDeletes: [...w.readingDeletes].sort(),
    audit: byId(w.audit),
  };
}

function listCases(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listCases(path);
      return name.endsWith(".json") ? [path] : [];
    });
}

const files = listCases(root);

describe("engine corpus", () => {
  it("has cases", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(file, "utf8")) as CorpusCase;
    it(`${relative(root, file)}: ${c.description}`, async () => {
      const { expected } = c;
      expect(
        expected.validation ?? expected.plan ?? expected.plan_match ?? expected.simulation,
        "a case must expect something",
      ).toBeDefined();
      if (expected.validation !== undefined) {
        expect(validateConfig(c.config)).toMatchObject(expected.validation as object);
      }
      if (
        expected.plan === undefined &&
        expected.plan_match === undefined &&
        expected.simulation === undefined
      )
        return;
      const compiled = compileConfig(c.config);
      if (!compiled.ok)
        throw new Error(`configuration invalid: ${JSON.stringify(compiled.validation.errors)}`);
      const variables = c.variables ?? {};
      const options = c.now ? { now: c.now, variables } : { variables };
      if (expected.plan !== undefined || expected.plan_match !== undefined) {
        const plan = JSON.parse(
          JSON.stringify(await planImport(compiled.compiled, c.payload, c.state ?? {}, options)),
        );
        if (expected.plan !== undefined) expect(plan).toEqual(expected.plan);
        if (expected.plan_match !== undefined)
          expect(plan).toMatchObject(expected.plan_match as object);
        // The database shell's way gives the same plan: readings staged while their lookup keys
        // are computed, then planned; and the writes the planning state keeps are exactly those a
        // replay of the decisions gives.
        const state = c.state ?? {};
        const prepared = await prepareImport(compiled.compiled, c.payload, { variables });
        await readingLookupKeys(prepared, state);
        const { plan: again, writes } = await planPreparedWithWrites(prepared, state);
        expect(JSON.parse(JSON.stringify(again))).toEqual(plan);
        expect(sortedWrites(writes)).toEqual(sortedWrites(await planWrites(again)));
        // The stored readings as the database returns them (by time, then id), loaded before
        // planning, and the same fed batch by batch while the plan runs: one plan, one set of writes.
        const sorted = { ...state, readings: [...((state.readings ?? []) as StoredReading[])] };
        sorted.readings.sort(byTimeThenId);
        const loaded = await planPreparedWithWrites(
          await prepareImport(compiled.compiled, c.payload, { variables }),
          sorted,
        );
        const fed = await planFromFeed(compiled.compiled, c.payload, state, variables);
        expect(JSON.parse(JSON.stringify(fed.plan))).toEqual(
          JSON.parse(JSON.stringify(loaded.plan)),
        );
        expect(sortedWrites(fed.writes)).toEqual(sortedWrites(loaded.writes));
      }
      if (expected.simulation !== undefined) {
        const simulation = JSON.parse(
          JSON.stringify(await simulateMapping(compiled.compiled, c.payload, { variables })),
        );
        expect(simulation).toEqual(expected.simulation);
      }
    });
  }
});
