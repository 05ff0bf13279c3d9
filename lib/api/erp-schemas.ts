import { z } from "zod";
import { isStorableText } from "../engine/storable-text";

/**
 * Text a request field may hold: what the database stores exactly. A NUL character or a lone
 * surrogate is refused (422, naming the field), never stored changed.
 */
export const dbText = z.string().refine(isStorableText, {
  error: "Text the database cannot store: it holds a NUL character or a lone surrogate",
});

/** A payload as the API accepts it; anything else is refused saying what is allowed. */
const payloadSchema = z.union(
  [z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()],
  { error: "The payload must be a JSON object, an array, or a string holding JSON" },
);

/** How a payload is written (SPEC 5, SPEC-ENTITIES 7): an XML payload is a string. */
const payloadFormat = z
  .enum(["json", "xml"])
  .describe('Payload format: "json", or "xml" with the payload a string holding an XML document.');

export type PayloadFormat = z.infer<typeof payloadFormat>;

/** One inbound event (SPEC 5): routed by use_case_slug or event_name. */
export const inboundEventSchema = z
  .object({
    timestamp: dbText.min(1).describe("When the ERP emitted the event (ISO 8601)."),
    format: payloadFormat,
    payload: payloadSchema.describe(
      "The event payload: a JSON object, a string holding JSON, or (format xml) a string holding XML.",
    ),
    use_case_slug: dbText.min(1).optional().describe("The use case to run, by slug."),
    event_name: dbText.min(1).optional().describe("The use case to run, by its event name."),
    deduplication_id: dbText
      .min(1)
      .optional()
      .describe("An event with the same id within 24 hours is not processed again."),
  })
  .refine((e) => e.use_case_slug !== undefined || e.event_name !== undefined, {
    message: "Each event needs use_case_slug or event_name",
    path: ["use_case_slug"],
  });

export const eventsRequestSchema = z.object({
  integration_id: dbText.min(1).describe("The integration the API key belongs to."),
  correlation_id: dbText.optional().describe("Echoed back; ties the events to the ERP's own run."),
  events: z.array(inboundEventSchema).min(1).max(1000).describe("The events, processed in order."),
});

export const eventSummarySchema = z.object({
  create: z.number(),
  update: z.number(),
  unchanged: z.number(),
  skip: z.number(),
  delete: z.number(),
  error: z.number(),
});

export const eventResultSchema = z.object({
  index: z.number().describe("Position of the event in the request."),
  status: z.enum(["success", "error", "skipped", "ignored"]),
  use_case_slug: z.string().optional(),
  event_id: z.string().optional().describe("The stored inbound event."),
  import_id: z
    .string()
    .optional()
    .describe("The import that ran (success), or that ran before (skipped)."),
  summary: eventSummarySchema.optional().describe("Counts of the applied plan's decisions."),
  message: z.string().optional(),
  error: z.object({ code: z.string(), details: z.record(z.string(), z.unknown()) }).optional(),
});

export const eventsResponseSchema = z.object({
  status: z.literal("ok"),
  correlation_id: z.string().nullable(),
  results: z.array(eventResultSchema),
});

export const mappingSimulationRequestSchema = z.object({
  event_configuration: z.unknown().describe("The mapping configuration to simulate."),
  format: payloadFormat.default("json"),
  payload: payloadSchema,
});

export const dryRunRequestSchema = z.object({
  format: payloadFormat.default("json"),
  payload: payloadSchema,
  configuration: z
    .unknown()
    .optional()
    .describe("A configuration to try instead of the published one (e.g. the studio's draft)."),
});

export const errorEnvelopeSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  error: z.object({ code: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export type EventsRequest = z.infer<typeof eventsRequestSchema>;
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type EventResult = z.infer<typeof eventResultSchema>;
