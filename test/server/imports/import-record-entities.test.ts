import { describe, expect, it } from "vitest";
import type { EntityDecision, Plan } from "../../../lib/engine";
import {
  decodeDecisions,
  encodeDecisions,
  recordedEntities,
} from "../../../lib/server/imports/import-record";
import { gzipJson } from "../../../lib/server/platform/gzip-json";

const stored = "0190a000-0000-7000-8000-00000000000a";
const real = "0190a000-0000-7000-8000-00000000000b";

const entities: EntityDecision[] = [
  {
    item: 0,
    index: 0,
    entity_schema: "meter",
    action: "create",
    id: "new:entity:0:0",
    code: "RELATION_STUB",
    message: "Created as a stub",
    unique_ids: { meter_number: "M1" },
    attributes: { meter_number: "M1" },
  },
  {
    item: 1,
    index: 0,
    entity_schema: "contract",
    action: "update",
    id: stored,
    unique_ids: { contract_number: "K1" },
    attributes: { contract_number: "K1", status: "active" },
    changes: { status: { from: "draft", to: "active" } },
  },
  {
    item: 1,
    index: 1,
    entity_schema: "contract",
    action: "error",
    code: "MISSING_IDENTIFIER",
    message: "no contract_number",
    details: { unique_ids: ["contract_number"] },
    unique_ids: {},
    attributes: { status: "active" },
  },
  {
    item: 2,
    index: null,
    entity_schema: "contract",
    action: "delete",
    mode: "purge",
    id: stored,
    code: "PRUNED",
    unique_ids: { contract_number: "K1" },
    attributes: {},
  },
];

const plan: Plan = {
  summary: { create: 0, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 },
  decisions: [],
  entities,
  warnings: [],
};

describe("entity decisions in an import's record", () => {
  it("keeps each decision column-wise with real ids, and mapped attributes only where nothing was written", async () => {
    const decoded = await decodeDecisions(
      await encodeDecisions(plan, new Map([["new:entity:0:0", real]])),
    );
    expect(decoded.entities).toEqual([
      {
        item: 0,
        index: 0,
        entity_schema: "meter",
        action: "create",
        id: real,
        code: "RELATION_STUB",
        message: "Created as a stub",
        unique_ids: { meter_number: "M1" },
      },
      {
        item: 1,
        index: 0,
        entity_schema: "contract",
        action: "update",
        id: stored,
        unique_ids: { contract_number: "K1" },
        changed: ["status"],
      },
      {
        item: 1,
        index: 1,
        entity_schema: "contract",
        action: "error",
        code: "MISSING_IDENTIFIER",
        message: "no contract_number",
        details: { unique_ids: ["contract_number"] },
        unique_ids: {},
        attributes: { status: "active" },
      },
      {
        item: 2,
        index: null,
        entity_schema: "contract",
        action: "delete",
        mode: "purge",
        id: stored,
        code: "PRUNED",
        unique_ids: { contract_number: "K1" },
      },
    ]);
  });

  it("names a meter the same import created by the id it was written with", async () => {
    const withReading: Plan = {
      ...plan,
      decisions: [
        {
          item: 0,
          index: 0,
          action: "create",
          meter: { id: "new:entity:0:0", unique_ids: { meter_number: "M1" } },
          reading_id: "new:0:0",
        },
      ],
    };
    const decoded = await decodeDecisions(
      await encodeDecisions(
        withReading,
        new Map([
          ["new:entity:0:0", real],
          ["new:0:0", stored],
        ]),
      ),
    );
    expect(decoded.decisions[0]).toMatchObject({ meter_id: real, reading_id: stored });
  });

  it("still reads records of the earlier format, which kept the engine's objects", async () => {
    const earlier = {
      ...plan,
      format: "mms.decisions/2",
      entity_ids: { "new:entity:0:0": real },
      count: 0,
      actions: "",
      item: [],
      index: [],
      reading_id: [],
      meters: [],
      meter: [],
      counters: [],
      counter: [],
      matched_by: "",
      change_sets: [],
      changed: [],
      code: {},
      message: {},
      details: {},
      reading: {},
    };
    const decoded = await decodeDecisions(await gzipJson(earlier));
    const fresh = await decodeDecisions(
      await encodeDecisions(plan, new Map([["new:entity:0:0", real]])),
    );
    expect(decoded.entities).toEqual(fresh.entities);
    expect(recordedEntities(earlier as never)).toHaveLength(4);
  });
});
