"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { storedEntity } from "@/lib/server/studio/stored-entity";
import {
  applySample,
  planApply,
  previewDraft,
  storedReading,
} from "@/lib/server/studio/studio-preview-service";
import {
  createSample,
  deleteSample,
  loadSample,
  publishDraft,
  renameSample,
  restoreVersion,
  type StudioResult,
  saveDraft,
  saveSamplePayload,
} from "@/lib/server/studio/studio-use-case-service";

// The studio's doors: each parses what the browser sent with its schema, then calls one service.
// The use case is always found again from the integration and slug, never trusted from an id the
// browser holds. Every action takes ONE object: React counts the characters of strings passed
// directly in the arguments array against a 1e6 limit, and a sample payload is megabytes.
const ref = { integrationId: z.string().max(64), slug: z.string().max(200) };
const id = z.string().max(64);
const text = z.string();
/** How a sample is written; an XML sample is converted on the server too (SPEC-ENTITIES 7). */
const format = z.enum(["json", "xml"]).default("json");
const count = z.number().int().nonnegative();
/** The plan the user confirmed in the Apply dialog (planApply's fingerprint and counts). */
const confirmed = z.object({
  fingerprint: z.string().max(100),
  summary: z.object({
    create: count,
    update: count,
    unchanged: count,
    skip: count,
    delete: count,
    error: count,
  }),
});

const schemas = {
  preview: z.object({ ...ref, configText: text, payloadText: text, format }),
  storedReading: z.object({ readingId: id }),
  storedEntity: z.object({ entityId: id }),
  saveDraft: z.object({ ...ref, draftText: text }),
  publish: z.object({ ...ref, draftText: text, message: text }),
  restore: z.object({ ...ref, versionId: id }),
  sample: z.object({ ...ref, sampleId: id }),
  createSample: z.object({ ...ref, name: text, payloadText: text, format }),
  renameSample: z.object({ ...ref, sampleId: id, name: text }),
  saveSample: z.object({ ...ref, sampleId: id, payloadText: text, format }),
  planApply: z.object({ ...ref, payloadText: text, format }),
  apply: z.object({ ...ref, payloadText: text, format, versionId: id, confirmed }),
};

type Input<K extends keyof typeof schemas> = z.input<(typeof schemas)[K]>;

function parse<K extends keyof typeof schemas>(
  key: K,
  input: unknown,
): z.output<(typeof schemas)[K]> | null {
  const result = schemas[key].safeParse(input);
  return result.success ? (result.data as z.output<(typeof schemas)[K]>) : null;
}

/** The use case an action worked on, as the audit trail names it. */
function useCaseTarget(input: unknown) {
  const ref = input as { integrationId?: unknown; slug?: unknown };
  const slug = typeof ref?.slug === "string" ? ref.slug : null;
  const integrationId = typeof ref?.integrationId === "string" ? ref.integrationId : null;
  return {
    targetType: "use_case",
    targetId: integrationId && slug ? `${integrationId}/${slug}` : null,
    targetLabel: slug,
  };
}

const malformed: StudioResult<never> = {
  ok: false,
  message: "The request is malformed; reload the page",
  fieldErrors: {},
};

/** The live preview: the draft as typed against a sample and the stored state; writes nothing. */
export const previewAction = authorizedAction(
  { name: "studio.preview", permission: "view" },
  async (input: Input<"preview">) => {
    const i = parse("preview", input);
    return i ? previewDraft(getDb(), i) : malformed;
  },
);

export const storedReadingAction = authorizedAction(
  { name: "studio.storedReading", permission: "view" },
  async (input: Input<"storedReading">) => {
    const i = parse("storedReading", input);
    return i ? storedReading(getDb(), i.readingId) : malformed;
  },
);

/** A stored entity that a relation in the preview names and the plan does not touch. */
export const storedEntityAction = authorizedAction(
  { name: "studio.storedEntity", permission: "view" },
  async (input: Input<"storedEntity">) => {
    const i = parse("storedEntity", input);
    return i ? storedEntity(getDb(), i.entityId) : malformed;
  },
);

export const saveDraftAction = authorizedAction(
  {
    name: "studio.saveDraft",
    permission: "author",
    audit: (_result, [input]) => useCaseTarget(input),
  },
  async (input: Input<"saveDraft">) => {
    const i = parse("saveDraft", input);
    return i ? saveDraft(getDb(), i, i.draftText) : malformed;
  },
);

export const publishAction = authorizedAction(
  {
    name: "studio.publish",
    permission: "author",
    audit: (result, [input]) => ({
      ...useCaseTarget(input),
      details: { version: result.ok ? result.data.version.version : null },
    }),
  },
  async (input: Input<"publish">) => {
    const i = parse("publish", input);
    return i ? publishDraft(getDb(), i, i.draftText, i.message) : malformed;
  },
);

export const restoreVersionAction = authorizedAction(
  {
    name: "studio.restoreVersion",
    permission: "author",
    audit: (_result, [input]) => ({
      ...useCaseTarget(input),
      details: { versionId: (input as { versionId?: unknown }).versionId },
    }),
  },
  async (input: Input<"restore">) => {
    const i = parse("restore", input);
    return i ? restoreVersion(getDb(), i, i.versionId) : malformed;
  },
);

export const loadSampleAction = authorizedAction(
  { name: "studio.loadSample", permission: "view" },
  async (input: Input<"sample">) => {
    const i = parse("sample", input);
    return i ? loadSample(getDb(), i, i.sampleId) : malformed;
  },
);

export const createSampleAction = authorizedAction(
  {
    name: "studio.createSample",
    permission: "author",
    audit: (_result, [input]) => ({
      ...useCaseTarget(input),
      details: { sample: (input as { name?: unknown }).name },
    }),
  },
  async (input: Input<"createSample">) => {
    const i = parse("createSample", input);
    return i ? createSample(getDb(), i, i.name, i.payloadText, i.format) : malformed;
  },
);

export const renameSampleAction = authorizedAction(
  {
    name: "studio.renameSample",
    permission: "author",
    audit: (_result, [input]) => ({
      ...useCaseTarget(input),
      details: {
        sampleId: (input as { sampleId?: unknown }).sampleId,
        name: (input as { name?: unknown }).name,
      },
    }),
  },
  async (input: Input<"renameSample">) => {
    const i = parse("renameSample", input);
    return i ? renameSample(getDb(), i, i.sampleId, i.name) : malformed;
  },
);

export const saveSampleAction = authorizedAction(
  {
    name: "studio.saveSample",
    permission: "author",
    audit: (_result, [input]) => ({
      ...useCaseTarget(input),
      details: { sampleId: (input as { sampleId?: unknown }).sampleId },
    }),
  },
  async (input: Input<"saveSample">) => {
    const i = parse("saveSample", input);
    return i ? saveSamplePayload(getDb(), i, i.sampleId, i.payloadText, i.format) : malformed;
  },
);

export const deleteSampleAction = authorizedAction(
  {
    name: "studio.deleteSample",
    permission: "author",
    audit: (_result, [input]) => ({
      ...useCaseTarget(input),
      details: { sampleId: (input as { sampleId?: unknown }).sampleId },
    }),
  },
  async (input: Input<"sample">) => {
    const i = parse("sample", input);
    return i ? deleteSample(getDb(), i, i.sampleId) : malformed;
  },
);

/** What applying the sample with the latest published version would do (for the confirmation). */
export const planApplyAction = authorizedAction(
  { name: "studio.planApply", permission: "author" },
  async (input: Input<"planApply">) => {
    const i = parse("planApply", input);
    return i ? planApply(getDb(), i, i.payloadText, i.format) : malformed;
  },
);

/**
 * Applies the sample as a real import (trigger "studio"), only with the version and the plan the
 * user confirmed.
 */
export const applyAction = authorizedAction(
  {
    name: "studio.apply",
    permission: "author",
    audit: (result, [input]) => ({
      ...useCaseTarget(input),
      details: result.ok
        ? {
            importId: result.data.importId,
            version: result.data.version.version,
            summary: result.data.summary,
          }
        : {},
    }),
  },
  async (input: Input<"apply">) => {
    const i = parse("apply", input);
    return i ? applySample(getDb(), i, i) : malformed;
  },
);
