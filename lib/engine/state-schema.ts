import { z } from "zod";

const attributes = z
  .record(z.string(), z.unknown())
  .describe(
    'Attributes as stored: relations `{ "$relation": [{ "entity_id", "_schema", "_tags"? }] }`, references `{ "$relation_ref": [{ "entity_id", "path", "_id" }] }`, repeatable attributes `[{ "email": ... }]`.',
  );
const deletedAt = z
  .string()
  .nullish()
  .describe("Set when soft-deleted: out of every lookup, relation and prune scope.");

/** The existing-state JSON of SPEC 4, checked at the doors (CLI, tests) before the engine runs. */
export const existingStateSchema = z
  .object({
    meters: z
      .array(z.object({ id: z.string().min(1), attributes, deleted_at: deletedAt }))
      .optional(),
    counters: z
      .array(
        z.object({
          id: z.string().min(1),
          meter_id: z.string().nullish(),
          attributes,
          deleted_at: deletedAt,
        }),
      )
      .optional(),
    entities: z
      .array(
        z.object({
          id: z.string().min(1),
          entity_schema: z.string().min(1),
          attributes,
          deleted_at: deletedAt,
        }),
      )
      .optional(),
    readings: z
      .array(
        z.object({
          id: z.string().min(1),
          meter_id: z.string().min(1),
          counter_id: z.string().nullish(),
          direction: z.string().nullish(),
          external_id: z.string().nullish(),
          timestamp: z.string().min(1),
          value: z.union([z.string(), z.number()]),
          source: z.string().nullish(),
          reason: z.string().nullish(),
          attributes: attributes.nullish(),
        }),
      )
      .optional(),
  })
  .describe("Existing meters, counters, entities and readings the plan is made against.");
