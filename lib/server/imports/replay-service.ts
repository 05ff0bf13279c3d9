import "server-only";
import type { DbClient } from "../../../db/client";
import { findConfigVersionById } from "../../../db/repository";
import type { Plan, PlanSummary } from "../../engine";
import { AppError } from "../http/app-error";
import { loadIntegrationVariables } from "../integrations/integration-variables";
import {
  extractedLists,
  type PreviewPlan,
  previewDecisions,
} from "../studio/studio-preview-service";
import { type ConfirmedPlan, planFingerprint } from "./confirmed-plan";
import { decodeDecisions } from "./import-record";
import { applyImport, dryRunImport } from "./import-service";
import { diffReplay, type ReplayDiff } from "./replay-diff";
import {
  loadReplaySource,
  type ReplayConfig,
  type ReplayConfigChoice,
  type ReplaySource,
  replayConfig,
} from "./replay-source";

export interface ReplayOriginal {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  configVersion: number | null;
  summary: PlanSummary;
}

export interface ReplayPreview {
  event: ReplaySource["event"];
  useCase: ReplaySource["useCase"];
  integrationName: string;
  config: Omit<ReplayConfig, "config">;
  original: ReplayOriginal | null;
  plan: PreviewPlan;
  diff: ReplayDiff;
  /** Sent back with the apply: the import refuses any plan but this one. */
  fingerprint: string;
}

function originalOf(source: ReplaySource): ReplayOriginal | null {
  const o = source.original;
  if (!o) return null;
  return {
    id: o.id,
    trigger: o.trigger,
    status: o.status,
    startedAt: o.startedAt.toISOString(),
    configVersion: o.configVersion,
    summary: o.counts as PlanSummary,
  };
}

/**
 * The original import's plan for this payload with its own configuration version, run again
 * (writing nothing) only for its mapped readings: the record keeps them for skips and errors
 * alone. Null when that version no longer exists (or it ran a draft).
 */
async function originalMapping(
  client: DbClient,
  source: ReplaySource,
  config: ReplayConfig,
  plan: Plan,
) {
  const versionId = source.original?.configVersionId;
  if (!versionId) return null;
  if (versionId === config.version?.id) return plan;
  const version = await findConfigVersionById(client.db, versionId);
  if (!version) return null;
  const variables = await loadIntegrationVariables(client.db, source.useCase.integrationId);
  return dryRunImport(client, version.config, source.payload, variables).catch(() => null);
}

/**
 * A replay's dry run: the event's stored payload through the chosen configuration against the
 * stored data, writing nothing, with the difference from the original import reading by reading.
 */
export async function planReplay(
  client: DbClient,
  id: string,
  choice: ReplayConfigChoice,
): Promise<ReplayPreview> {
  const started = performance.now();
  const source = await loadReplaySource(client, id);
  const config = await replayConfig(client, source, choice);
  const variables = await loadIntegrationVariables(client.db, source.useCase.integrationId);
  const plan = await dryRunImport(client, config.config, source.payload, variables);
  const [fingerprint, extracted, mapped] = await Promise.all([
    planFingerprint(plan),
    extractedLists(config.config, source.payload),
    originalMapping(client, source, config, plan),
  ]);
  const recorded = source.original?.decisions
    ? (await decodeDecisions(source.original.decisions)).decisions
    : null;
  const { decisions, pruned } = previewDecisions(plan);
  const { config: _config, ...configInfo } = config;
  return {
    event: source.event,
    useCase: source.useCase,
    integrationName: source.integrationName,
    config: configInfo,
    original: originalOf(source),
    plan: {
      kind: "plan",
      summary: plan.summary,
      decisions,
      decisionsTotal: plan.decisions.length,
      entities: plan.entities,
      warnings: plan.warnings,
      pruned,
      extracted,
      ms: Math.round(performance.now() - started),
    },
    diff: diffReplay(recorded, mapped, plan),
    fingerprint,
  };
}

export interface ReplayConfirmation {
  choice: ReplayConfigChoice;
  /** The published version confirmed (choice "published"). */
  versionId?: string | null;
  /** When the confirmed draft was saved (choice "draft"). */
  draftUpdatedAt?: string | null;
  confirmed: ConfirmedPlan;
}

/**
 * Applies a replay as a real import (trigger "replay", linked to the event; `replay_of` is the
 * original import, null when the event had none), only with the configuration and the plan the
 * user confirmed: another version published, the draft saved again, or stored data changed so
 * that the import would write anything else, and it is refused with nothing written.
 */
export async function applyReplay(client: DbClient, id: string, input: ReplayConfirmation) {
  const source = await loadReplaySource(client, id);
  const config = await replayConfig(client, source, input.choice);
  if (config.version && config.version.id !== input.versionId) {
    throw new AppError(
      "CONFLICT",
      `v${config.version.version} was published in the meantime: review the replay again`,
    );
  }
  if (config.draftUpdatedAt && config.draftUpdatedAt !== input.draftUpdatedAt) {
    throw new AppError(
      "CONFLICT",
      "The draft was saved again in the meantime: review the replay again",
    );
  }
  const outcome = await applyImport(client, {
    variables: await loadIntegrationVariables(client.db, source.useCase.integrationId),
    useCaseId: source.useCase.id,
    config: config.config,
    configVersion: config.version
      ? { id: config.version.id, version: config.version.version }
      : null,
    payload: source.payload,
    trigger: "replay",
    inboundEventId: source.event.id,
    replayOf: source.original?.id ?? null,
    confirmedPlan: input.confirmed,
  });
  return { importId: outcome.importId, summary: outcome.plan.summary };
}
