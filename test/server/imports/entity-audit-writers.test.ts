import { describe, expect, it } from "vitest";
import type { EntitySnapshot } from "../../../db/repository";
import { auditWriter, type EntityAudit } from "../../../lib/server/imports/entity-writes";
import { decodeAuditRecord, encodeAudit } from "../../../lib/server/imports/import-record";

const row = (id: string, import_id: string | null): EntitySnapshot =>
  ({ id, entity_schema: "meter", attributes: {}, import_id }) as unknown as EntitySnapshot;

describe("an entity audit's writers", () => {
  it("of an import: itself for what it wrote, the listed ones' own, none for what it purged", async () => {
    const audit: EntityAudit = {
      created: ["new"],
      before: [row("updated", "earlier"), row("purged", "earlier"), row("counter", "older")],
      // The counter of the purged meter keeps its writer.
      writers: { counter: "older" },
      writer: "this",
      purged: ["purged"],
      purged_readings: [],
    };
    const decoded = (await decodeAuditRecord(await encodeAudit([], audit))).entities;
    if (!decoded) throw new Error("no entity audit");
    expect(auditWriter(decoded, "new")).toEqual({ gone: false, writer: "this" });
    expect(auditWriter(decoded, "updated")).toEqual({ gone: false, writer: "this" });
    expect(auditWriter(decoded, "counter")).toEqual({ gone: false, writer: "older" });
    expect(auditWriter(decoded, "purged")).toEqual({ gone: true });
  });

  it("of a record written before, every row listed: absent means purged", () => {
    const audit: EntityAudit = {
      created: ["new"],
      before: [row("updated", "earlier"), row("purged", "earlier")],
      writers: { new: "this", updated: "this" },
      purged_readings: [],
    };
    expect(auditWriter(audit, "new")).toEqual({ gone: false, writer: "this" });
    expect(auditWriter(audit, "updated")).toEqual({ gone: false, writer: "this" });
    expect(auditWriter(audit, "purged")).toEqual({ gone: true });
  });
});
