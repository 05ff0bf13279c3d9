import type { CompiledReadingItem } from "./compile-config";
import { getOrInsert } from "./map-utils";

/** One reading prune scope as the mapping simulation shows it (SPEC-ENTITIES 6). */
export interface ReadingPruneScopeUpdate {
  meter: { $entity_unique_ids: Record<string, unknown> };
  meter_counter?: { $entity_unique_ids: Record<string, unknown> };
  keep_external_ids: unknown[];
  source?: string;
}

/** The scopes an upsert-prune-scope item touches, in first-touch order, with the ids they keep. */
export class ReadingPruneScopes {
  private readonly scopes = new Map<string, ReadingPruneScopeUpdate>();

  touch(
    item: CompiledReadingItem,
    meter: Record<string, unknown>,
    counter: Record<string, unknown> | null,
    externalId: unknown,
  ) {
    const key = JSON.stringify([item.index, meter, counter]);
    const scope = getOrInsert(this.scopes, key, () => {
      // Keys in the order SPEC-ENTITIES 6 lists them.
      const update = { meter: { $entity_unique_ids: meter } } as ReadingPruneScopeUpdate;
      if (counter) update.meter_counter = { $entity_unique_ids: counter };
      update.keep_external_ids = [];
      if (item.scopeSource) update.source = item.scopeSource;
      return update;
    });
    if (externalId !== undefined && externalId !== null && externalId !== "")
      scope.keep_external_ids.push(externalId);
  }

  updates(): ReadingPruneScopeUpdate[] {
    return [...this.scopes.values()];
  }
}
