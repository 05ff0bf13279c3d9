import "server-only";
import type { DbClient } from "../../../db/client";
import { latestVersion, readingDetails } from "../../../db/repository";
import {
  compileConfig,
  type Decision,
  type EntityDecision,
  type Plan,
  type PlanSummary,
  type PlanWarning,
  type ValidationResult,
} from "../../engine";
import { extractItems } from "../../engine/extract-items";
import { shownValue } from "../../engine/value-depth";
import { XmlInvalidError } from "../../engine/xml/xml-invalid-error";
import { xmlToJsonSliced } from "../../engine/xml/xml-to-json-sliced";
import { parseJson } from "../../json/parse-json";
import { AppError } from "../http/app-error";
import { type ConfirmedPlan, planFingerprint } from "../imports/confirmed-plan";
import { applyImport, dryRunImport } from "../imports/import-service";
import { requestBudget } from "../imports/request-budget";
import { loadIntegrationVariables } from "../integrations/integration-variables";
import {
  attempt,
  resolveUseCase,
  type SampleFormat,
  type StudioResult,
  type UseCaseRef,
} from "./studio-use-case-service";

/** Rows per list the preview sends to the browser; the summary always counts everything. */
export const PREVIEW_LIMITS = {
  decisions: 50_000,
  entities: 50_000,
  extractedItems: 10_000,
} as const;

/**
 * A decision as the preview shows it. `previous` (the stored row before the change) is kept for
 * deletions only, which show what they delete; the drawer loads any other stored row on demand.
 */
export type PreviewDecision = Decision;

export interface ExtractedList {
  /** Index of the meter_readings entry. */
  item: number;
  /** Its jsonataExpression; null when the payload itself is the one reading. */
  expression: string | null;
  ok: boolean;
  /** Why the extraction failed, when it did. */
  message?: string;
  total: number;
  /** At most PREVIEW_LIMITS.extractedItems of them. */
  rows: unknown[];
}

export interface PreviewPlan {
  kind: "plan";
  summary: PlanSummary;
  /** At most PREVIEW_LIMITS.decisions, in plan order. */
  decisions: PreviewDecision[];
  decisionsTotal: number;
  entities: EntityDecision[];
  /** Every entity decision of the plan; `entities` holds at most PREVIEW_LIMITS.entities. */
  entitiesTotal?: number;
  /**
   * How many entity mappings the configuration has: the preview shows its Entities tab when there
   * are any, even before a sample makes them decide something.
   */
  entityMappings?: number;
  warnings: PlanWarning[];
  /** Prune deletions (code PRUNED) among the deletes: the preview warns about them. */
  pruned: number;
  extracted: ExtractedList[];
  /** Server time of the dry run, for the "refreshed in" note. */
  ms: number;
}

export type PreviewOutcome =
  | {
      kind: "json";
      target: "config" | "payload";
      /** "xml": the sample is XML and does not convert (SPEC-ENTITIES 7). */
      format?: "xml";
      message: string;
      line?: number;
      column?: number;
    }
  | { kind: "invalid"; validation: ValidationResult }
  | PreviewPlan;

type Parsed = { ok: true; value: unknown } | { ok: false; outcome: PreviewOutcome };

function parseInput(text: string, target: "config" | "payload"): Parsed {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { ok: false, outcome: { kind: "json", target, message, line, column } };
  }
  if (target === "payload" && (parsed.value === null || typeof parsed.value !== "object")) {
    const message = "A sample must be a JSON object or array";
    return { ok: false, outcome: { kind: "json", target, message } };
  }
  return parsed;
}

/** A sample as the mapping sees it: JSON parsed, XML converted as the events route converts it. */
async function parseSample(text: string, format: SampleFormat = "json"): Promise<Parsed> {
  if (format !== "xml") return parseInput(text, "payload");
  try {
    return { ok: true, value: await xmlToJsonSliced(text) };
  } catch (error) {
    if (!(error instanceof XmlInvalidError)) throw error;
    const { message, line, column } = error;
    return {
      ok: false,
      outcome: { kind: "json", target: "payload", format: "xml", message, line, column },
    };
  }
}

export async function extractedLists(config: unknown, payload: unknown): Promise<ExtractedList[]> {
  const compiled = compileConfig(config);
  if (!compiled.ok) return [];
  const lists: ExtractedList[] = [];
  const budget = requestBudget();
  for (const item of compiled.compiled.readings) {
    const expression = item.extraction?.source ?? null;
    const extraction = await extractItems(item.extraction, payload, budget);
    lists.push(
      extraction.ok
        ? {
            item: item.index,
            expression,
            ok: true,
            total: extraction.items.length,
            rows: extraction.items.slice(0, PREVIEW_LIMITS.extractedItems).map(shownValue),
          }
        : {
            item: item.index,
            expression,
            ok: false,
            message: extraction.message,
            total: 0,
            rows: [],
          },
    );
  }
  return lists;
}

export function previewDecisions(plan: Plan): { decisions: PreviewDecision[]; pruned: number } {
  const decisions: PreviewDecision[] = [];
  let pruned = 0;
  for (const d of plan.decisions) {
    if (d.code === "PRUNED") pruned++;
    if (decisions.length >= PREVIEW_LIMITS.decisions) continue;
    if (d.previous === undefined || d.action === "delete") decisions.push(d);
    else {
      const { previous: _previous, ...rest } = d;
      decisions.push(rest);
    }
  }
  return { decisions, pruned };
}

/**
 * The studio's live preview: the draft (saved or not, as typed) against a sample and the real
 * stored state, writing nothing. What a person can fix comes back as data: JSON syntax errors,
 * or the validation summary of an invalid configuration instead of a plan.
 */
export function previewDraft(
  client: DbClient,
  input: { configText: string; payloadText: string; format?: SampleFormat; integrationId?: string },
): Promise<StudioResult<PreviewOutcome>> {
  return attempt(async (): Promise<PreviewOutcome> => {
    const started = performance.now();
    const config = parseInput(input.configText, "config");
    if (!config.ok) return config.outcome;
    const compiled = compileConfig(config.value);
    if (!compiled.ok) return { kind: "invalid", validation: compiled.validation };
    const payload = await parseSample(input.payloadText, input.format);
    if (!payload.ok) return payload.outcome;
    // compileConfig caches per object: the dry run reuses this compilation.
    const variables = input.integrationId
      ? await loadIntegrationVariables(client.db, input.integrationId)
      : {};
    const plan = await dryRunImport(client, config.value, payload.value, variables);
    const extracted = await extractedLists(config.value, payload.value);
    const { decisions, pruned } = previewDecisions(plan);
    return {
      kind: "plan",
      summary: plan.summary,
      decisions,
      decisionsTotal: plan.decisions.length,
      entities: plan.entities.slice(0, PREVIEW_LIMITS.entities),
      entitiesTotal: plan.entities.length,
      entityMappings: compiled.compiled.entities.length,
      warnings: plan.warnings,
      pruned,
      extracted,
      ms: Math.round(performance.now() - started),
    };
  });
}

export interface StoredReadingDetails {
  id: string;
  meterId: string;
  meter: Record<string, unknown> | null;
  counterId: string | null;
  counter: Record<string, unknown> | null;
  externalId: string | null;
  timestamp: string;
  berlinDay: string | null;
  value: string;
  source: string | null;
  reason: string | null;
  direction: string | null;
  attributes: Record<string, unknown>;
  importId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One stored reading by id, with its meter's and counter's attributes (the details drawer). */
export function storedReading(
  client: DbClient,
  readingId: string,
): Promise<StudioResult<StoredReadingDetails>> {
  return attempt(async () => {
    const found = /^[0-9a-f-]{36}$/i.test(readingId)
      ? await readingDetails(client.db, readingId)
      : null;
    if (!found) {
      throw new AppError("NOT_FOUND", "This reading is not stored (any more)", {
        reading_id: readingId,
      });
    }
    return {
      id: found.id,
      meterId: found.meter_id,
      meter: found.meter_attributes,
      counterId: found.counter_id,
      counter: found.counter_attributes,
      externalId: found.external_id,
      timestamp: found.timestamp,
      berlinDay: found.berlin_day ?? null,
      value: found.value,
      source: found.source,
      reason: found.reason,
      direction: found.direction,
      attributes: found.attributes ?? {},
      importId: found.import_id,
      createdAt: found.created_at,
      updatedAt: found.updated_at,
    };
  });
}

export interface PublishedVersionRef {
  id: string;
  version: number;
  message: string;
  publishedAt: string;
}

async function publishedVersion(client: DbClient, ref: UseCaseRef) {
  const useCase = await resolveUseCase(client, ref);
  const version = await latestVersion(client.db, useCase.id);
  if (!version) {
    throw new AppError(
      "CONFLICT",
      "Nothing is published yet: publish the draft before applying a sample",
    );
  }
  return { useCase, version };
}

async function samplePayload(text: string, format: SampleFormat = "json"): Promise<unknown> {
  const parsed = await parseSample(text, format);
  if (parsed.ok) return parsed.value;
  const outcome = parsed.outcome as Extract<PreviewOutcome, { kind: "json" }>;
  throw new AppError("PAYLOAD_INVALID", `The sample is not a valid payload: ${outcome.message}`, {
    field: "payload",
  });
}

const versionRef = (v: Awaited<ReturnType<typeof latestVersion>> & object) => ({
  id: v.id,
  version: v.version,
  message: v.message,
  publishedAt: v.publishedAt.toISOString(),
});

export interface PlannedApply {
  version: PublishedVersionRef;
  summary: PlanSummary;
  pruned: number;
  /** Stored entities the import deletes: by pruning, and for good (purge) among them. */
  entityDeletions: { total: number; pruned: number; purged: number };
  /** Sent back with the apply: the import refuses any plan but this one (planFingerprint). */
  fingerprint: string;
}

/**
 * What applying a sample with the latest published version would do, writing nothing: the
 * confirmation dialog states the deletions from it before anything is written.
 */
export function planApply(
  client: DbClient,
  ref: UseCaseRef,
  payloadText: string,
  format: SampleFormat = "json",
): Promise<StudioResult<PlannedApply>> {
  return attempt(async () => {
    const { version } = await publishedVersion(client, ref);
    const payload = await samplePayload(payloadText, format);
    const plan = await dryRunImport(
      client,
      version.config,
      payload,
      await loadIntegrationVariables(client.db, ref.integrationId),
    );
    const pruned = plan.decisions.reduce((n, d) => n + (d.code === "PRUNED" ? 1 : 0), 0);
    const entityDeletions = { total: 0, pruned: 0, purged: 0 };
    for (const e of plan.entities) {
      if (e.action !== "delete") continue;
      entityDeletions.total++;
      if (e.code === "PRUNED") entityDeletions.pruned++;
      if (e.mode === "purge") entityDeletions.purged++;
    }
    const fingerprint = await planFingerprint(plan);
    return {
      version: versionRef(version),
      summary: plan.summary,
      pruned,
      entityDeletions,
      fingerprint,
    };
  });
}

/**
 * Runs a sample as a real import (trigger "studio") through the latest published version, never
 * the draft. `versionId` and `confirmed` are what the user confirmed: if another version was
 * published since, or the stored data changed so that the import would no longer do what the
 * confirmation said, the apply is refused and nothing is written.
 */
export function applySample(
  client: DbClient,
  ref: UseCaseRef,
  input: {
    payloadText: string;
    format?: SampleFormat;
    versionId: string;
    confirmed: ConfirmedPlan;
  },
): Promise<
  StudioResult<{
    importId: string;
    version: PublishedVersionRef;
    summary: PlanSummary;
    durationMs: number;
  }>
> {
  return attempt(async () => {
    const { useCase, version } = await publishedVersion(client, ref);
    if (version.id !== input.versionId) {
      throw new AppError(
        "CONFLICT",
        `v${version.version} was published in the meantime: review the apply again`,
      );
    }
    const outcome = await applyImport(client, {
      variables: await loadIntegrationVariables(client.db, ref.integrationId),
      useCaseId: useCase.id,
      config: version.config,
      configVersion: { id: version.id, version: version.version },
      payload: await samplePayload(input.payloadText, input.format),
      trigger: "studio",
      // Checked inside the import, after it planned under its locks: nothing can change between.
      confirmedPlan: input.confirmed,
    });
    return {
      importId: outcome.importId,
      version: versionRef(version),
      summary: outcome.plan.summary,
      durationMs: Math.round(outcome.durationMs),
    };
  });
}
