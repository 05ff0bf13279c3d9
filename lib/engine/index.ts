export { type CompiledConfig, type CompileResult, compileConfig } from "./compile-config";
export type { ConfigProblem, ValidationResult } from "./config-problems";
export { CONFIG_PROBLEM_CODES } from "./config-problems";
export { configJsonSchema, configSchema, type MappingConfig } from "./config-schema";
export * from "./constants";
export { EvaluationBudget } from "./evaluation-budget";
export { type LateEntities, mappingSchemas } from "./late-entities";
export {
  type EntityKeys,
  entityLookupKeys,
  type ReadingKey,
  type ReadingKeys,
  readingLookupKeys,
} from "./lookup-keys";
export { planImport, planPrepared, planPreparedWithWrites } from "./plan-import";
export {
  type EntityDeletion,
  type EntityWrite,
  type PlanWrites,
  planWrites,
} from "./plan-writes";
export { type PreparedImport, prepareImport } from "./prepare-import";
export { pruneScopeLookups, type ScopeLookup } from "./prune-lookups";
export { READING_CODES } from "./reading-codes";
export { BatchedReadingFeed, type StoredReadingFeed } from "./reading-feed";
export { dayOf, UPDATABLE_COLUMNS, type UpdatableColumn } from "./reading-store";
export { type MappingSimulation, simulateMapping } from "./simulate-mapping";
export { existingStateSchema } from "./state-schema";
export { berlinDay, parseTimestamp } from "./timestamp";
export type * from "./types";
export { validateConfig } from "./validate-config";
