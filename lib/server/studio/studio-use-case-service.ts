import "server-only";
import type { DbClient } from "../../../db/client";
import {
  deleteSample as deleteSampleRow,
  findIntegration,
  findSample,
  findSampleByName,
  findUseCaseBySlug,
  findVersion,
  insertSample,
  latestVersion,
  listSamples,
  listVersions,
  updateSample,
  updateUseCase,
} from "../../../db/repository";
import { type ConfigProblem, type ValidationResult, validateConfig } from "../../engine";
import { deepEqual } from "../../engine/deep-equal";
import { toPointer } from "../../engine/json-pointer";
import { escapedText, findUnstorableText, isStorableText } from "../../engine/storable-text";
import { XmlInvalidError } from "../../engine/xml/xml-invalid-error";
import { xmlToJsonSliced } from "../../engine/xml/xml-to-json-sliced";
import { parseJson } from "../../json/parse-json";
import type { ActionResult } from "../http/action-result";
import { AppError } from "../http/app-error";
import { internalError, isNextControlFlow } from "../http/internal-error";
import { publishConfig } from "../integrations/use-case-service";

/**
 * What every studio service returns, so its action is one line: the shared ActionResult (STYLE 10),
 * whose failure may also carry the AppError code and, for a refused publish, the problems.
 */
export type StudioFailure = Extract<ActionResult<never>, { ok: false }> & {
  code?: string;
  validation?: ValidationResult;
};
export type StudioResult<T> = { ok: true; data: T } | StudioFailure;

/** Which use case an action works on: always re-read from the integration and slug. */
export interface UseCaseRef {
  integrationId: string;
  slug: string;
}

export interface VersionSummary {
  id: string;
  version: number;
  message: string;
  publishedAt: string;
  configText: string;
}

/** How a sample is written: an XML sample's text is the XML, converted for every run. */
export type SampleFormat = "json" | "xml";

export interface SampleSummary {
  id: string;
  name: string;
  format: SampleFormat;
  updatedAt: string;
  /** Size of the pretty-printed payload, so the page can say what a big sample costs. */
  chars: number;
}

export interface SampleData extends SampleSummary {
  text: string;
}

export interface StudioData {
  integration: { id: string; name: string };
  useCase: {
    id: string;
    slug: string;
    name: string;
    eventName: string | null;
    draftText: string;
    draftUpdatedAt: string;
    /** The saved draft equals the latest published version. */
    draftPublished: boolean;
  };
  versions: VersionSummary[];
  samples: SampleSummary[];
  /**
   * The sample the studio opens with (the one asked for, else the first), with its payload, so
   * the preview can start without another round trip.
   */
  firstSample: SampleData | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_MAX = 120;

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Runs a service body; an AppError becomes the typed failure, and so does anything else, logged
 * under an error id that the failure's message names (the page keeps what the user typed).
 */
export async function attempt<T>(body: () => Promise<T>): Promise<StudioResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (caught) {
    if (isNextControlFlow(caught)) throw caught;
    const error = caught instanceof AppError ? caught : internalError(caught, "a studio action");
    const field = typeof error.details.field === "string" ? error.details.field : null;
    return {
      ok: false,
      message: error.message,
      fieldErrors: field ? { [field]: [error.message] } : {},
      code: error.code,
    };
  }
}

function notFound(message: string): AppError {
  return new AppError("NOT_FOUND", message);
}

/** A uuid-typed column rejects other text with a database error: refuse it as "not found" first. */
function checkId(id: string, what: string): string {
  if (!UUID.test(id)) throw notFound(`No such ${what}`);
  return id;
}

export async function resolveUseCase(client: DbClient, ref: UseCaseRef) {
  const integrationId = checkId(ref.integrationId, "integration");
  // A slug the database cannot hold names no use case (and must not reach a query).
  const useCase = isStorableText(ref.slug)
    ? await findUseCaseBySlug(client.db, integrationId, ref.slug)
    : undefined;
  if (!useCase) throw notFound(`This integration has no use case "${ref.slug}"`);
  return useCase;
}

/**
 * Parses JSON text typed by a person, to be stored: a syntax error names its line and column
 * under `field`, and so does text the database cannot store (NUL, a lone surrogate) by pointer.
 */
export function parseText(text: string, field: string, what: string): unknown {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { message, line, column, tooDeep } = parsed.error;
    const problem = tooDeep ? `is ${message}` : `is not valid JSON: ${message}`;
    throw new AppError("INVALID_REQUEST", `${what} ${problem}`, {
      field,
      line,
      column,
    });
  }
  const unstorable = findUnstorableText(parsed.value);
  if (unstorable) {
    const path = toPointer(unstorable.segments.map((s) => escapedText(String(s))));
    throw new AppError(
      "INVALID_REQUEST",
      `${what} holds "${escapedText(unstorable.text)}" at ${path || "/"}: a NUL character or a lone surrogate, which the database cannot store`,
      { field, path },
    );
  }
  return parsed.value;
}

/** Refuses a typed name or message the database cannot store, next to its field. */
function storable(text: string, field: string, what: string): string {
  if (isStorableText(text)) return text;
  throw new AppError(
    "INVALID_REQUEST",
    `${what} holds a NUL character or a lone surrogate, which the database cannot store`,
    { field },
  );
}

function versionSummary(row: Awaited<ReturnType<typeof listVersions>>[number]): VersionSummary {
  return {
    id: row.id,
    version: row.version,
    message: row.message,
    publishedAt: row.publishedAt.toISOString(),
    configText: row.configText ?? pretty(row.config),
  };
}

function sampleSummary(row: {
  id: string;
  name: string;
  format: SampleFormat;
  updatedAt: Date;
  payload: unknown;
  payloadText: string | null;
}) {
  const text = row.payloadText ?? pretty(row.payload);
  return {
    summary: {
      id: row.id,
      name: row.name,
      format: row.format,
      updatedAt: row.updatedAt.toISOString(),
      chars: text.length,
    },
    text,
  };
}

/**
 * Everything the studio page shows first; null when the integration or use case does not exist.
 * `sampleId` selects the sample to open with (the URL's); an unknown one falls back to the first.
 */
export async function loadStudio(
  client: DbClient,
  ref: UseCaseRef,
  options: { sampleId?: string } = {},
): Promise<StudioData | null> {
  if (!UUID.test(ref.integrationId)) return null;
  const integration = await findIntegration(client.db, ref.integrationId);
  if (!integration) return null;
  if (!isStorableText(ref.slug)) return null;
  const useCase = await findUseCaseBySlug(client.db, integration.id, ref.slug);
  if (!useCase) return null;
  const [versions, samples] = await Promise.all([
    listVersions(client.db, useCase.id),
    listSamples(client.db, useCase.id),
  ]);
  const summaries = samples.map(sampleSummary);
  const first = summaries.find((s) => s.summary.id === options.sampleId) ?? summaries[0];
  return {
    integration: { id: integration.id, name: integration.name },
    useCase: {
      id: useCase.id,
      slug: useCase.slug,
      name: useCase.name,
      eventName: useCase.eventName,
      draftText: useCase.draftText ?? pretty(useCase.draftConfig),
      draftUpdatedAt: useCase.draftUpdatedAt.toISOString(),
      draftPublished: versions[0] ? deepEqual(versions[0].config, useCase.draftConfig) : false,
    },
    versions: versions.map(versionSummary),
    samples: summaries.map((s) => s.summary),
    firstSample: first ? { ...first.summary, text: first.text } : null,
  };
}

function problemsByPath(problems: readonly ConfigProblem[]): Record<string, string[]> {
  const byPath: Record<string, string[]> = {};
  for (const p of problems) {
    const path = p.path || "/";
    byPath[path] = [...(byPath[path] ?? []), p.message];
  }
  return byPath;
}

/** Saves the draft as typed; an invalid configuration is saved too (only publishing refuses it). */
export function saveDraft(client: DbClient, ref: UseCaseRef, draftText: string) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const config = parseText(draftText, "draft", "The draft");
    const saved = await updateUseCase(client.db, useCase.id, { draftConfig: config, draftText });
    if (!saved) throw notFound("The use case was deleted");
    return {
      draftUpdatedAt: saved.draftUpdatedAt.toISOString(),
      validation: validateConfig(config),
    };
  });
}

/** Saves the draft and publishes it as the next version; an invalid draft is refused with its errors. */
export async function publishDraft(
  client: DbClient,
  ref: UseCaseRef,
  draftText: string,
  message: string,
): Promise<StudioResult<{ version: VersionSummary; draftUpdatedAt: string }>> {
  const trimmed = message.trim();
  if (!isStorableText(trimmed)) {
    const problem = "The message holds a NUL character or a lone surrogate";
    return { ok: false, message: problem, fieldErrors: { message: [problem] } };
  }
  if (!trimmed) {
    return {
      ok: false,
      message: "Say what changed: a publish needs a message",
      fieldErrors: { message: ["Say what changed in this version"] },
    };
  }
  const result = await attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const config = parseText(draftText, "draft", "The draft");
    // One transaction: a refused publish must not leave half its work behind.
    return client.db.transaction(async (tx) => {
      const scoped: DbClient = { ...client, db: tx };
      const saved = await updateUseCase(tx, useCase.id, { draftConfig: config, draftText });
      const version = await publishConfig(scoped, useCase.id, config, trimmed, draftText);
      return {
        version: versionSummary(version),
        draftUpdatedAt: (saved?.draftUpdatedAt ?? new Date()).toISOString(),
      };
    });
  });
  if (result.ok || result.code !== "CONFIG_INVALID") return result;
  // The refusal carries the problems; say it in the studio's words.
  const validation = validateConfig(parseJson(draftText).ok ? JSON.parse(draftText) : null);
  return {
    ok: false,
    message: `An invalid draft can be saved but not published (${validation.errors.length} ${
      validation.errors.length === 1 ? "error" : "errors"
    })`,
    fieldErrors: problemsByPath(validation.errors),
    code: "CONFIG_INVALID",
    validation,
  };
}

/** Makes an old version the draft again (it is published only when the user publishes it). */
export function restoreVersion(client: DbClient, ref: UseCaseRef, versionId: string) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const version = await findVersion(client.db, useCase.id, checkId(versionId, "version"));
    if (!version) throw notFound("No such version of this use case");
    const restoredText = version.configText ?? pretty(version.config);
    const saved = await updateUseCase(client.db, useCase.id, {
      draftConfig: version.config,
      draftText: restoredText,
    });
    if (!saved) throw notFound("The use case was deleted");
    const latest = await latestVersion(client.db, useCase.id);
    return {
      draftText: restoredText,
      draftUpdatedAt: saved.draftUpdatedAt.toISOString(),
      draftPublished: latest ? deepEqual(latest.config, version.config) : false,
      restoredVersion: version.version,
    };
  });
}

export function listHistory(client: DbClient, ref: UseCaseRef) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    return (await listVersions(client.db, useCase.id)).map(versionSummary);
  });
}

function checkName(name: string): string {
  const trimmed = storable(name.trim(), "name", "A sample name");
  if (!trimmed) throw new AppError("INVALID_REQUEST", "A sample needs a name", { field: "name" });
  if (trimmed.length > NAME_MAX) {
    throw new AppError("INVALID_REQUEST", `A sample name has at most ${NAME_MAX} characters`, {
      field: "name",
    });
  }
  return trimmed;
}

async function checkNameFree(client: DbClient, useCaseId: string, name: string, self?: string) {
  const taken = await findSampleByName(client.db, useCaseId, name);
  if (taken && taken.id !== self) {
    throw new AppError("CONFLICT", `There is already a sample named "${name}"`, { field: "name" });
  }
}

/**
 * An XML sample converted as the events route converts `format: "xml"` (SPEC-ENTITIES 7); its
 * text is kept as written, the JSON beside it is what the mapping sees.
 */
async function xmlSamplePayload(text: string): Promise<unknown> {
  try {
    const payload = await xmlToJsonSliced(text);
    // Converted text is what the database stores in jsonb: refuse what it cannot hold.
    const unstorable = findUnstorableText(payload);
    if (unstorable) storable(unstorable.text, "payload", "The sample");
    return payload;
  } catch (error) {
    if (!(error instanceof XmlInvalidError)) throw error;
    throw new AppError("INVALID_REQUEST", `The sample is not valid XML: ${error.message}`, {
      field: "payload",
      line: error.line,
      column: error.column,
    });
  }
}

/** A sample payload must be a JSON object or array, as the events route accepts, or XML. */
async function samplePayload(text: string, format: SampleFormat): Promise<unknown> {
  if (format === "xml") return xmlSamplePayload(storable(text, "payload", "The sample"));
  const payload = parseText(text, "payload", "The sample");
  if (payload === null || typeof payload !== "object") {
    throw new AppError("INVALID_REQUEST", "A sample must be a JSON object or array", {
      field: "payload",
    });
  }
  return payload;
}

export function createSample(
  client: DbClient,
  ref: UseCaseRef,
  name: string,
  text: string,
  format: SampleFormat = "json",
) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const checked = checkName(name);
    const payload = await samplePayload(text, format);
    await checkNameFree(client, useCase.id, checked);
    const row = await insertSample(client.db, useCase.id, checked, payload, text, format);
    const { summary, text: saved } = sampleSummary(row);
    return { ...summary, text: saved };
  });
}

export function renameSample(client: DbClient, ref: UseCaseRef, id: string, name: string) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const checked = checkName(name);
    await checkNameFree(client, useCase.id, checked, id);
    const row = await updateSample(client.db, useCase.id, checkId(id, "sample"), { name: checked });
    if (!row) throw notFound("No such sample of this use case");
    return sampleSummary(row).summary;
  });
}

export function saveSamplePayload(
  client: DbClient,
  ref: UseCaseRef,
  id: string,
  text: string,
  format: SampleFormat = "json",
) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const payload = await samplePayload(text, format);
    const row = await updateSample(client.db, useCase.id, checkId(id, "sample"), {
      payload,
      payloadText: text,
      format,
    });
    if (!row) throw notFound("No such sample of this use case");
    return sampleSummary(row).summary;
  });
}

export function deleteSample(client: DbClient, ref: UseCaseRef, id: string) {
  return attempt(async () => {
    const useCase = await resolveUseCase(client, ref);
    const row = await deleteSampleRow(client.db, useCase.id, checkId(id, "sample"));
    if (!row) throw notFound("No such sample of this use case");
    return { id: row.id };
  });
}

export function loadSample(client: DbClient, ref: UseCaseRef, id: string) {
  return attempt(async (): Promise<SampleData> => {
    const useCase = await resolveUseCase(client, ref);
    const row = await findSample(client.db, useCase.id, checkId(id, "sample"));
    if (!row) throw notFound("No such sample of this use case");
    const { summary, text } = sampleSummary(row);
    return { ...summary, text };
  });
}
