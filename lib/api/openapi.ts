import { z } from "zod";
import { configJsonSchema } from "../engine";
import {
  dryRunRequestSchema,
  errorEnvelopeSchema,
  eventSummarySchema,
  eventsRequestSchema,
  eventsResponseSchema,
  mappingSimulationRequestSchema,
} from "./erp-schemas";

type JsonSchema = Record<string, unknown>;

const warningSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  path: z.string().describe("JSON pointer into the configuration."),
  index: z.number().optional().describe("Position of the extracted element."),
  details: z.record(z.string(), z.unknown()).optional(),
});

const entityWarningSchema = z
  .object({
    entity_schema: z.string(),
    field: z.string().describe("The attribute (or key, e.g. `condition`) the warning is about."),
    message: z.string(),
    code: z.string(),
  })
  .describe("A warning about an entity mapping (SPEC-ENTITIES 6).");

const uniqueIds = z.record(z.string(), z.unknown());

/** SPEC 5 and SPEC-ENTITIES 6: attribute values as mapped (a `$string(...)` value stays a string). */
export const mappingSimulationResponseSchema = z.object({
  entity_updates: z.array(
    z.object({
      entity_slug: z.string(),
      mode: z.enum(["upsert", "delete", "purge"]).describe("Prune modes report upsert."),
      unique_identifiers: uniqueIds,
      attributes: z
        .record(z.string(), z.unknown())
        .describe(
          'As mapped; relations unresolved: `{ "$relation": { "_set": [{ "$entity_unique_ids", "_schema", "_tags"? }] } }`.',
        ),
    }),
  ),
  prune_scope_updates: z
    .array(
      z.object({
        entity_slug: z.string(),
        scope: z.object({
          scope_mode: z.enum(["relations", "query"]),
          schema: z.string().optional(),
          unique_ids: uniqueIds.optional(),
          query: uniqueIds.optional(),
        }),
        keep_unique_ids: z.array(uniqueIds),
        deletion_mode: z.enum(["delete", "purge"]),
      }),
    )
    .optional()
    .describe("Present when an entity mapping has a prune mode."),
  meter_readings_updates: z.array(
    z.object({
      meter: z.object({ $entity_unique_ids: uniqueIds }),
      meter_counter: z.object({ $entity_unique_ids: uniqueIds }).optional(),
      attributes: z.record(z.string(), z.unknown()),
    }),
  ),
  meter_readings_prune_scope_updates: z
    .array(
      z.object({
        meter: z.object({ $entity_unique_ids: uniqueIds }),
        meter_counter: z.object({ $entity_unique_ids: uniqueIds }).optional(),
        keep_external_ids: z.array(z.unknown()),
        source: z.string().optional(),
      }),
    )
    .optional()
    .describe("Present when a reading mapping has mode upsert-prune-scope."),
  warnings: z.array(z.union([warningSchema, entityWarningSchema])),
});

const actions = ["create", "update", "unchanged", "skip", "delete", "error"] as const;

/** The plan as the engine returns it; decisions carry more fields than listed here. */
export const dryRunResponseSchema = z.object({
  plan: z.object({
    summary: eventSummarySchema,
    decisions: z.array(
      z
        .looseObject({
          item: z.number().describe("Index of the meter_readings mapping."),
          index: z.number().nullable().describe("Position in the extracted list."),
          action: z.enum(actions),
          code: z.string().optional().describe("Stable reason code, e.g. PRUNED."),
          message: z.string().optional(),
        })
        .describe("One decision per extracted reading (or per item, for prune and extraction)."),
    ),
    entities: z.array(
      z.looseObject({
        item: z.number(),
        index: z.number().nullable(),
        entity_schema: z.string(),
        action: z.enum(actions),
        mode: z.enum(["delete", "purge"]).optional().describe("On deletions: soft or for good."),
        unique_ids: z.record(z.string(), z.unknown()),
        attributes: z.record(z.string(), z.unknown()),
      }),
    ),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string() })),
  }),
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * A zod schema as an OpenAPI 3.1 component: JSON Schema 2020-12 without `$schema`, with any
 * `$defs` hoisted into the components (refs rewritten), since refs resolve against the document.
 */
function component(
  schemas: Record<string, JsonSchema>,
  name: string,
  schema: JsonSchema,
): JsonSchema {
  const { $schema: _, $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, unknown> };
  const rename = (def: string) => `${name}_${def}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== "object") return value;
    const out: JsonSchema = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "$schema") continue;
      out[key] =
        key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")
          ? `#/components/schemas/${rename(v.slice("#/$defs/".length))}`
          : rewrite(v);
    }
    return out;
  };
  for (const [def, value] of Object.entries($defs ?? {})) {
    schemas[rename(def)] = rewrite(value) as JsonSchema;
  }
  schemas[name] = rewrite(rest) as JsonSchema;
  return ref(name);
}

const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
const output = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output" }) as JsonSchema;

/** Points a property of a generated object schema at another component, keeping its description. */
function withProperty(schema: JsonSchema, property: string, target: JsonSchema): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema>;
  const description = properties[property]?.description;
  return {
    ...schema,
    properties: {
      ...properties,
      [property]: description ? { ...target, description } : target,
    },
  };
}

const ERROR_RESPONSES = {
  400: ["BadJson", "The body is empty or not JSON (BAD_JSON, with position, line and column)."],
  401: ["Unauthorized", "No API key, or an unknown or revoked one (UNAUTHORIZED)."],
  403: ["Forbidden", "The API key belongs to another integration (FORBIDDEN)."],
  404: ["NotFound", "No such use case, or it has no published configuration (NOT_FOUND)."],
  413: ["PayloadTooLarge", "The body exceeds the size limit (PAYLOAD_TOO_LARGE)."],
  415: ["UnsupportedMediaType", "The body is not sent as application/json."],
  422: [
    "Unprocessable",
    "The body does not fit the schema (INVALID_REQUEST, with `issues` as JSON pointers), the " +
      "configuration is invalid (CONFIG_INVALID, with `errors`), a payload string is not JSON " +
      '(PAYLOAD_INVALID), or a format "xml" payload is not well-formed XML or holds a DOCTYPE ' +
      "(XML_INVALID, with position, line and column).",
  ],
  500: ["Internal", "An unexpected server error (INTERNAL); the message says nothing more."],
  503: [
    "Unavailable",
    "The database connection was lost or could not be made (DATABASE_UNAVAILABLE), or the " +
      "import thread stopped while the request ran (IMPORT_THREAD_RESTARTED); safe to send again.",
  ],
} as const;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

function responses(okDescription: string, okSchema: JsonSchema, errors: ErrorStatus[]) {
  const out: Record<string, unknown> = {
    200: { description: okDescription, content: { "application/json": { schema: okSchema } } },
  };
  for (const status of errors) {
    out[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status][0]}` };
  }
  return out;
}

const jsonBody = (schema: JsonSchema) => ({
  required: true,
  content: { "application/json": { schema } },
});

const BODY_ERRORS: ErrorStatus[] = [400, 401, 413, 415, 422, 500, 503];

function buildDocument() {
  const schemas: Record<string, JsonSchema> = {};
  const config = component(schemas, "MappingConfiguration", configJsonSchema());
  const events = component(schemas, "EventsRequest", input(eventsRequestSchema));
  const eventsResult = component(schemas, "EventsResponse", output(eventsResponseSchema));
  const simulation = component(
    schemas,
    "MappingSimulationRequest",
    withProperty(input(mappingSimulationRequestSchema), "event_configuration", config),
  );
  const simulationResult = component(
    schemas,
    "MappingSimulationResponse",
    output(mappingSimulationResponseSchema),
  );
  const dryRun = component(
    schemas,
    "DryRunRequest",
    withProperty(input(dryRunRequestSchema), "configuration", config),
  );
  const dryRunResult = component(schemas, "DryRunResponse", output(dryRunResponseSchema));
  const envelope = component(schemas, "ErrorEnvelope", output(errorEnvelopeSchema));
  const errorResponses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(([name, description]) => [
      name,
      { description, content: { "application/json": { schema: envelope } } },
    ]),
  );
  const secured = [{ bearerAuth: [] }];

  return {
    openapi: "3.1.0",
    info: {
      title: "Meter Mapping Studio API",
      version: "1.0.0",
      description:
        "Inbound ERP events, mapping simulation and dry runs. Request-level failures share one " +
        'envelope: `{ "status": "error", "message", "error": { "code", "details" } }`.',
    },
    paths: {
      "/api/v1/erp/updates/events": {
        post: {
          operationId: "postEvents",
          summary: "Import ERP events",
          description:
            "Each event is routed to a use case (by use_case_slug or event_name) and imported in " +
            "its own transaction; each gets a result: success, error, skipped (same " +
            "deduplication_id within 24 hours) or ignored (no use case matches).",
          security: secured,
          requestBody: jsonBody(events),
          responses: responses(
            "One result per event, in order.",
            eventsResult,
            [400, 401, 403, 413, 415, 422, 500],
          ),
        },
      },
      "/api/v1/erp/updates/mapping_simulation": {
        post: {
          operationId: "simulateMapping",
          summary: "Simulate a mapping configuration",
          description: "What the configuration maps out of the payload. Reads and writes no data.",
          security: secured,
          requestBody: jsonBody(simulation),
          responses: responses("The mapped entities and readings.", simulationResult, BODY_ERRORS),
        },
      },
      "/api/v1/use-cases/{slug}/dry-run": {
        post: {
          operationId: "dryRunUseCase",
          summary: "Plan an import without writing",
          description:
            "The full plan of the payload against the stored state, with the given configuration " +
            "or else the use case's latest published one. Writes nothing.",
          security: secured,
          parameters: [
            {
              name: "slug",
              in: "path",
              required: true,
              description: "The use case, within the API key's integration.",
              schema: { type: "string" },
            },
          ],
          requestBody: jsonBody(dryRun),
          responses: responses("The plan.", dryRunResult, [...BODY_ERRORS, 404]),
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This document",
          security: [],
          responses: responses("The OpenAPI 3.1 document.", { type: "object" }, [500]),
        },
      },
    },
    components: {
      schemas,
      responses: errorResponses,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "The integration's API key: `Authorization: Bearer mms_...`.",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document, generated once from the schemas that validate the requests. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}
