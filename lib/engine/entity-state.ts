import type { ExistingState } from "./types";

/**
 * The entity arrays of a state. Work done ahead of a plan (staged readings, decided entities) is
 * kept with the arrays it was done against, and the plan takes it only for the same arrays.
 */
export interface EntityArrays {
  meters: ExistingState["meters"];
  counters: ExistingState["counters"];
  entities: ExistingState["entities"];
}

export const entityArraysOf = (state: ExistingState): EntityArrays => ({
  meters: state.meters,
  counters: state.counters,
  entities: state.entities,
});

/** Whether `state` has the very arrays `kept` was made against (not equal ones: the same). */
export const sameEntityArrays = (kept: EntityArrays, state: ExistingState): boolean =>
  kept.meters === state.meters &&
  kept.counters === state.counters &&
  kept.entities === state.entities;
