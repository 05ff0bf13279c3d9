import "server-only";
import { createHash } from "node:crypto";
import type { Plan, PlanSummary } from "../../engine";
import { AppError } from "../http/app-error";

/** What the user saw and confirmed before an import: the plan's fingerprint and its counts. */
export interface ConfirmedPlan {
  fingerprint: string;
  /** Only for the refusal's message: the fingerprint alone decides. */
  summary: PlanSummary;
}

const ACTIONS = ["create", "update", "unchanged", "skip", "delete", "error"] as const;

/** Yields to the event loop: a 100k-decision plan must not stall the server while it hashes. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A digest of everything a plan decides (every decision with its target, changes and the stored
 * row it deletes, and every entity decision). Plans are deterministic, so the same payload,
 * configuration and stored state give the same fingerprint; any change in what would be written
 * gives another. Hashed decision by decision, so no plan-sized string is ever built.
 */
export async function planFingerprint(plan: Plan): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(plan.summary));
  for (let i = 0; i < plan.decisions.length; i++) {
    hash.update("\n");
    hash.update(JSON.stringify(plan.decisions[i]));
    if (i % 5000 === 4999) await breathe();
  }
  hash.update("\n");
  hash.update(JSON.stringify(plan.entities));
  return hash.digest("base64url");
}

const counts = (summary: PlanSummary) =>
  ACTIONS.map((action) => `${summary[action]} ${action}`).join(", ");

/**
 * Refuses (CONFLICT) a plan that is not the one the user confirmed: the stored readings changed
 * between the confirmation's dry run and the import, so it would write something nobody reviewed.
 * Thrown inside the import's transaction, before any write of it is kept.
 */
export async function checkConfirmedPlan(plan: Plan, confirmed: ConfirmedPlan): Promise<void> {
  if ((await planFingerprint(plan)) === confirmed.fingerprint) return;
  const sameCounts = ACTIONS.every((action) => plan.summary[action] === confirmed.summary[action]);
  const what = sameCounts
    ? "the counts are the same, but not every reading would be treated as confirmed"
    : `it would now ${counts(plan.summary)} (confirmed: ${counts(confirmed.summary)})`;
  throw new AppError(
    "CONFLICT",
    `The stored data changed since you confirmed this import: ${what}. Nothing was written; check the plan again.`,
    { expected: confirmed.summary, actual: plan.summary },
  );
}
