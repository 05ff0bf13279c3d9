import { z } from "zod";
import { READING_MATCHING, READING_MODES, READING_SOURCES } from "./constants";
import { entityMappingSchema } from "./entity-schema";
import { constantValue, fieldPath, jsonata } from "./schema-parts";

// One schema is the source of the TypeScript types, the runtime validation and the JSON Schema
// the studio's editor uses. Every key carries a description: the editor shows it on hover.

export const uniqueIdObjectSchema = z
  .object({
    attribute: z
      .string()
      .min(1)
      .describe("Attribute of the meter or counter that must equal the resolved value."),
    field: fieldPath.optional(),
    jsonataExpression: jsonata("giving the value to look up").optional(),
    constant: constantValue.optional(),
  })
  .strict()
  .describe(
    "Find the entity whose `attribute` equals the value from `field`, `jsonataExpression` or `constant`.",
  );

export const uniqueIdSchema = z
  .union([
    z
      .string()
      .min(1)
      .describe(
        'Shorthand: `"meter_number"` means `{ "attribute": "meter_number", "field": "meter_number" }`.',
      ),
    uniqueIdObjectSchema,
  ])
  .describe("How to identify the entity. Several unique ids must all match.");

export const entityLookupSchema = z
  .object({
    unique_ids: z
      .array(uniqueIdSchema)
      .min(1)
      .describe("Unique ids that identify the entity; all of them must match (AND)."),
  })
  .strict();

export const fieldMappingSchema = z
  .object({
    attribute: z
      .string()
      .min(1)
      .describe(
        "Target attribute. Typed: external_id, timestamp, value, source, reason, direction; any other name is kept as a custom attribute.",
      ),
    field: fieldPath.optional(),
    constant: constantValue.optional(),
    jsonataExpression: jsonata(
      'giving the attribute\'s value; `$error("...")` fails the reading',
    ).optional(),
    enabled: z
      .union([z.boolean(), z.string()])
      .optional()
      .describe(
        "`false`, or a JSONata expression evaluating falsy, leaves the attribute unmapped.",
      ),
  })
  .strict()
  .describe("Maps one attribute. Exactly one of `field`, `constant`, `jsonataExpression`.");

export const meterReadingMappingSchema = z
  .object({
    jsonataExpression: jsonata(
      "run on the root payload; an array gives one reading per element, an object one reading. Absent: the payload itself is one reading",
    ).optional(),
    meter: entityLookupSchema.describe("How each reading finds its meter."),
    meter_counter: entityLookupSchema
      .optional()
      .describe("How each reading finds its counter (multi-tariff meters, e.g. HT/NT)."),
    fields: z.array(fieldMappingSchema).describe("Field mappings of the reading."),
    mode: z
      .enum(READING_MODES)
      .optional()
      .describe(
        "`upsert` (default) creates or updates; `delete` deletes matching readings; `upsert-prune-scope` upserts, then deletes every other reading of each meter + counter touched. (`purge` is not supported for meter readings.)",
      ),
    reading_matching: z
      .enum(READING_MATCHING)
      .optional()
      .describe(
        "`external_id` (default) matches stored readings by external id; `strict-date` falls back to meter + counter + direction on the same Europe/Berlin calendar day.",
      ),
    scope: z
      .object({
        source: z
          .enum(READING_SOURCES)
          .optional()
          .describe("Only readings with this source may be pruned."),
      })
      .strict()
      .optional()
      .describe("Restricts pruning; meaningful only with mode `upsert-prune-scope`."),
  })
  .strict()
  .describe("One way of extracting meter readings from the payload.");

export const configSchema = z
  .object({
    entities: z
      .array(entityMappingSchema)
      .optional()
      .describe("Entity mappings, processed before meter readings."),
    meter_readings: z
      .array(meterReadingMappingSchema)
      .optional()
      .describe("Meter reading mappings, processed in order."),
  })
  .strict()
  .describe("A mapping configuration: how to turn an ERP payload into meter readings.");

export type {
  EntityFieldMapping,
  EntityMapping,
  EntityScope,
  EnvVarRef,
  RelationItem,
  RelationRefItem,
  Relations,
} from "./entity-schema";
export { entityMappingSchema };
export type MappingConfig = z.infer<typeof configSchema>;
export type MeterReadingMapping = z.infer<typeof meterReadingMappingSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export type UniqueId = z.infer<typeof uniqueIdSchema>;
export type UniqueIdObject = z.infer<typeof uniqueIdObjectSchema>;

/** The JSON Schema the editor binds to its model, generated from the zod schema. */
export function configJsonSchema(): Record<string, unknown> {
  // JSON round-trip drops zod's hidden `~standard` functions, so the result can cross to a client.
  return JSON.parse(JSON.stringify(z.toJSONSchema(configSchema, { io: "input" })));
}
