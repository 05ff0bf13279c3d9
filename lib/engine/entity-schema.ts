import { z } from "zod";
import { ARRAY_OPERATIONS, ENTITY_MODES, REPEATABLE_TYPES } from "./entity-constants";
import { constantValue, fieldPath, jsonata } from "./schema-parts";

// The `entities` half of the configuration (SPEC-ENTITIES 1 to 5). The static rules zod cannot
// say (one kind per field mapping, scope keys by scope_mode, ...) live in validate-entities.ts.

const repeatableType = z
  .enum(REPEATABLE_TYPES)
  .describe(
    'Repeatable attribute: stored as `[{ "email": value }]` / `[{ "phone": value }]`; as a unique id it matches when any stored item has the value.',
  );

const operation = (what: string) =>
  z
    .enum(ARRAY_OPERATIONS)
    .describe(
      `How ${what} combine with what is stored: \`_set\` replaces all, \`_append\` adds those not already there, \`_append_all\` adds all.`,
    );

export const relatedIdSchema = z
  .object({
    attribute: z.string().min(1).describe("Attribute of the related entity that must match."),
    field: fieldPath.optional(),
    jsonataExpression: jsonata("giving the value to match").optional(),
    constant: constantValue.optional(),
    _type: repeatableType.optional(),
  })
  .strict()
  .describe("One unique id of the related entity: its `attribute` equals the resolved value.");

const relatedIds = z
  .array(relatedIdSchema)
  .min(1)
  .describe("Unique ids of the related entity; several must all match.");

const tags = z
  .array(z.string())
  .describe('Labels stored on the relation, e.g. `["PRIMARY"]`.')
  .optional();

export const relationItemSchema = z
  .object({
    entity_schema: z.string().min(1).describe("Schema of the related entity, e.g. `contact`."),
    unique_ids: relatedIds,
    _tags: tags,
  })
  .strict()
  .describe("One related entity, found by schema and unique ids (a stub is created if none).");

export const relationsSchema = z
  .object({
    operation: operation("these relations").optional(),
    items: z.array(relationItemSchema).optional().describe("The related entities."),
    jsonataExpression: jsonata(
      "returning an item or an array of items of the `items` shape (instead of `items`)",
    ).optional(),
  })
  .strict()
  .describe("Relations to other entities, shown unresolved in the simulation.");

const refValueSchema = z
  .object({
    attribute: z
      .string()
      .min(1)
      .describe("Repeatable attribute of the related entity that receives the value."),
    operation: operation("the value and the stored items").optional(),
    field: fieldPath.optional(),
    jsonataExpression: jsonata("giving the item to store").optional(),
    constant: z.unknown().optional().describe("A fixed item to store."),
  })
  .strict()
  .describe("The item put into the related entity's repeatable attribute.");

export const relationRefItemSchema = z
  .object({
    entity_schema: z.string().min(1).describe("Schema of the related entity, e.g. `contact`."),
    unique_ids: relatedIds,
    path: z.string().min(1).describe("The repeatable attribute the reference points into."),
    value: refValueSchema,
    _tags: tags,
  })
  .strict()
  .describe("A reference to one item of a repeatable attribute of a related entity.");

export const relationRefsSchema = z
  .object({
    operation: operation("these references").optional(),
    items: z.array(relationRefItemSchema).optional().describe("The referenced items."),
    jsonataExpression: jsonata(
      "returning an item or an array of items of the `items` shape (instead of `items`)",
    ).optional(),
  })
  .strict()
  .describe("References to items of repeatable attributes (e.g. an address of a contact).");

export const envVarRefSchema = z
  .object({
    key: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_.-]{0,127}$/,
        "A variable key is 1 to 128 of a-z, 0-9, _ . - and starts with a letter or digit",
      )
      .describe("Key of the integration variable (`^[a-z0-9][a-z0-9_.-]{0,127}$`)."),
    default: constantValue.optional().describe("Used when the variable is missing or secret."),
    return: z
      .enum(["value", "jsonata"])
      .optional()
      .describe(
        "`value` (default): the variable's value; `jsonata`: `jsonataExpression` with `$` = the value.",
      ),
    jsonataExpression: jsonata("evaluated with `$` = the variable's value (100 ms at most)")
      .optional()
      .describe("Evaluated with `$` = the variable's value when `return` is `jsonata`."),
  })
  .strict()
  .describe("The value of an integration variable.");

// Passed through unread (their shapes belong to other installations).
const anyObject = z.looseObject({});

export const entityFieldMappingSchema = z
  .object({
    attribute: z.string().min(1).describe("Target attribute of the entity."),
    field: fieldPath.optional(),
    constant: z
      .unknown()
      .optional()
      .describe('A fixed value (any JSON, e.g. an array operation `{ "_append": [...] }`).'),
    jsonataExpression: jsonata(
      'giving the attribute\'s value; `$error("...")` fails this entity update',
    ).optional(),
    enabled: z
      .union([z.boolean(), z.string()])
      .optional()
      .describe("`false`, or a JSONata expression evaluating falsy, leaves the attribute out."),
    _type: repeatableType.optional(),
    relations: relationsSchema.optional(),
    relation_refs: relationRefsSchema.optional(),
    env_var_ref: envVarRefSchema.optional(),
    file_proxy_url: anyObject
      .optional()
      .describe("Not available here (no file proxy): accepted with a warning, left out."),
    portal_ref: anyObject
      .optional()
      .describe("Not available here (no portal): accepted with a warning, left out."),
  })
  .strict()
  .describe(
    "Maps one attribute: a value (`field`, `constant`, `jsonataExpression`) or one of `relations`, `relation_refs`, `env_var_ref`, `file_proxy_url`, `portal_ref`.",
  );

const scopeIdSchema = relatedIdSchema
  .omit({ _type: true })
  .describe("An attribute and the value it must equal, resolved on the root payload.");

export const entityScopeSchema = z
  .object({
    scope_mode: z
      .enum(["relations", "query"])
      .describe(
        "`relations`: entities related to the scope entity; `query`: entities whose attributes equal `query`.",
      ),
    schema: z.string().min(1).optional().describe("Schema of the scope entity (`relations`)."),
    unique_ids: z
      .array(scopeIdSchema)
      .min(1)
      .optional()
      .describe("Unique ids of the scope entity (`relations`), on the root payload."),
    query: z
      .array(scopeIdSchema)
      .min(1)
      .optional()
      .describe("Attribute/value pairs every entity in scope has (`query`)."),
  })
  .strict()
  .describe("Which stored entities the prune modes may delete; evaluated on the root payload.");

export const entityMappingSchema = z
  .object({
    entity_schema: z
      .string()
      .min(1)
      .describe("Entity type: `contact`, `account`, `contract`, `meter`, `meter_counter`, ..."),
    unique_ids: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'Attribute names whose mapped values identify the entity (all must match); `["_id"]`: the entity\'s own id.',
      ),
    fields: z.array(entityFieldMappingSchema).describe("Field mappings of the entity."),
    jsonataExpression: jsonata(
      "run on the root payload; an array result gives one entity per element",
    ).optional(),
    enabled: z
      .union([z.boolean(), z.string()])
      .optional()
      .describe(
        "`false`, or a JSONata expression on the root payload evaluating falsy, skips this item.",
      ),
    mode: z
      .enum(ENTITY_MODES)
      .optional()
      .describe(
        "`upsert` (default), `delete` (soft, restorable 30 days), `purge` (for good), `upsert-prune-scope-delete` / `upsert-prune-scope-purge` (upsert, then remove the rest of `scope`).",
      ),
    scope: entityScopeSchema.optional(),
    condition: jsonata("on the root payload (legacy: merge it into `enabled`)")
      .optional()
      .describe("Legacy: the mapping runs only when `enabled` and `condition` are both true."),
    pricing: anyObject.optional().describe("Not supported here: ignored, with a warning."),
  })
  .strict()
  .describe("Creates, updates or deletes entities before any reading is processed.");

export type EntityMapping = z.infer<typeof entityMappingSchema>;
export type EntityFieldMapping = z.infer<typeof entityFieldMappingSchema>;
export type EntityScope = z.infer<typeof entityScopeSchema>;
export type Relations = z.infer<typeof relationsSchema>;
export type RelationItem = z.infer<typeof relationItemSchema>;
export type RelationRefItem = z.infer<typeof relationRefItemSchema>;
export type EnvVarRef = z.infer<typeof envVarRefSchema>;
export type RelatedId = z.infer<typeof relatedIdSchema>;
