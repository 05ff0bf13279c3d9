/** The database door: every query of the product lives under db/repository. */

export * from "./repository/accounts";
export * from "./repository/deleted-entities";
export { rowsPerStatement } from "./repository/driver";
export * from "./repository/entities";
export * from "./repository/entity-deletes";
export * from "./repository/entity-derived";
export * from "./repository/entity-relations";
export * from "./repository/imports";
export * from "./repository/integration-variables";
export * from "./repository/integrations";
export * from "./repository/locks";
export * from "./repository/readings";
export * from "./repository/replay";
export * from "./repository/samples";
export { breathe, jsonParam, query } from "./repository/sql-json";
export * from "./repository/studio";
export * from "./repository/support-detail";
export * from "./repository/support-list";
export * from "./repository/support-meter";
export * from "./repository/support-overview";
export * from "./repository/support-touches";
export * from "./repository/undo";
export * from "./repository/use-cases";
