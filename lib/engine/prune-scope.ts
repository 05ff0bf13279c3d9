import type { CompiledReadingItem } from "./compile-config";
import { getOrInsert } from "./map-utils";
import { problem } from "./reading-codes";
import type { ReadingStore } from "./reading-store";
import type { Decision, ResolvedRef } from "./types";

interface Scope {
  meter: ResolvedRef;
  counter: ResolvedRef | null;
  keptIds: Set<string>;
  keptExternalIds: Set<string>;
}

/**
 * What one `upsert-prune-scope` item touched and must keep (SPEC 3.3). A scope is meter + counter,
 * or the meter alone when the item configures no counter.
 */
export class PruneTracker {
  private readonly scopes = new Map<string, Scope>();
  /** External ids of readings whose counter could not be resolved: protected in every scope of the meter. */
  private readonly meterExternalIds = new Map<string, Set<string>>();

  constructor(private readonly item: CompiledReadingItem) {}

  private scope(meter: ResolvedRef, counter: ResolvedRef | null): Scope {
    const key = `${meter.id}\u0000${counter?.id ?? ""}`;
    return getOrInsert(this.scopes, key, () => ({
      meter,
      counter,
      keptIds: new Set(),
      keptExternalIds: new Set(),
    }));
  }

  /** A payload reading whose scope resolved, whatever became of it. */
  touch(
    meter: ResolvedRef,
    counter: ResolvedRef | null,
    externalId: string | null,
    decision: Decision | null,
  ) {
    const scope = this.scope(meter, counter);
    if (externalId !== null) scope.keptExternalIds.add(externalId);
    const kept =
      decision?.reading_id ??
      (decision && decision.action !== "error" ? decision.target?.reading_id : undefined);
    if (kept) scope.keptIds.add(kept);
    // An ambiguous day match could be the twin of any candidate: pruning must not guess either.
    if (decision?.code === "AMBIGUOUS_MATCH") {
      for (const c of (decision.details?.candidates ?? []) as { reading_id: string }[])
        scope.keptIds.add(c.reading_id);
    }
  }

  /** A reading whose meter resolved but whose counter did not: its twin is kept in any scope. */
  protectOnMeter(meter: ResolvedRef, externalId: string | null) {
    if (externalId === null) return;
    getOrInsert(this.meterExternalIds, meter.id, () => new Set<string>()).add(externalId);
  }

  /** A scope resolved from the root payload alone, for a payload with zero readings. */
  touchEmpty(meter: ResolvedRef, counter: ResolvedRef | null) {
    this.scope(meter, counter);
  }

  get touchedAny(): boolean {
    return this.scopes.size > 0;
  }

  /** Deletes every other reading of each touched scope; returns the decisions, in stored order. */
  prune(store: ReadingStore): Decision[] {
    const decisions: Decision[] = [];
    for (const scope of this.scopes.values()) {
      const protectedIds = this.meterExternalIds.get(scope.meter.id);
      const victims = store.ofMeter(scope.meter.id).filter((r) => {
        if (this.item.counter && r.counter_id !== (scope.counter?.id ?? null)) return false;
        if (this.item.scopeSource !== null && r.source !== this.item.scopeSource) return false;
        if (scope.keptIds.has(r.id)) return false;
        if (
          r.external_id !== null &&
          (scope.keptExternalIds.has(r.external_id) || protectedIds?.has(r.external_id))
        )
          return false;
        return true;
      });
      for (const r of victims) {
        store.remove(r.id, r.meter_id);
        decisions.push({
          item: this.item.index,
          index: null,
          action: "delete",
          ...problem("PRUNED", {
            scope: { meter_id: scope.meter.id, counter_id: scope.counter?.id ?? null },
          }),
          meter: scope.meter,
          counter: scope.counter,
          target: { reading_id: r.id, matched_by: "scope" },
          previous: r,
        });
      }
    }
    return decisions;
  }
}
