import {
  type CompiledExpression,
  compileExpression,
  EXTRACTION_BOUNDS,
  ITEM_BOUNDS,
} from "./bounded-jsonata";
import { type CompiledEntityItem, compileEntityItem } from "./compile-entities";
import type { ConfigProblem, ValidationResult } from "./config-problems";
import type { FieldMapping, MappingConfig, UniqueId } from "./config-schema";
import type { ReadingMatching, ReadingMode } from "./constants";
import { validateConfig } from "./validate-config";
import { ExpressionTable, type ValueSource } from "./value-source";

export interface CompiledField {
  attribute: string;
  source: ValueSource;
  /** null: always on; else the condition, evaluated per element. */
  enabled: ValueSource | null;
}

export interface CompiledUniqueId {
  attribute: string;
  source: ValueSource;
}

export interface CompiledReadingItem {
  index: number;
  mode: ReadingMode;
  matching: ReadingMatching;
  extraction: CompiledExpression | null;
  /** Every expression of the item (fields, unique ids, conditions), evaluated per element in a batch. */
  expressions: CompiledExpression[];
  meter: CompiledUniqueId[];
  counter: CompiledUniqueId[] | null;
  fields: CompiledField[];
  scopeSource: string | null;
}

export type { CompiledEntityItem };

export interface CompiledConfig {
  config: MappingConfig;
  readings: CompiledReadingItem[];
  entities: CompiledEntityItem[];
  warnings: ConfigProblem[];
}

export type CompileResult =
  | { ok: true; compiled: CompiledConfig }
  | { ok: false; validation: ValidationResult };

function compileUniqueId(table: ExpressionTable, u: UniqueId): CompiledUniqueId {
  if (typeof u === "string") return { attribute: u, source: table.source({ field: u }) };
  return { attribute: u.attribute, source: table.source(u) };
}

function compileFields(table: ExpressionTable, fields: FieldMapping[]): CompiledField[] {
  const compiled: CompiledField[] = [];
  for (const f of fields) {
    if (f.enabled === false) continue;
    const enabled =
      typeof f.enabled === "string" ? table.add(compileExpression(f.enabled, ITEM_BOUNDS)) : null;
    compiled.push({ attribute: f.attribute, source: table.source(f), enabled });
  }
  return compiled;
}

function compileExtraction(source: string | undefined): CompiledExpression | null {
  return source === undefined ? null : compileExpression(source, EXTRACTION_BOUNDS);
}

function compileValid(config: MappingConfig, warnings: ConfigProblem[]): CompiledConfig {
  const readings = (config.meter_readings ?? []).map((m, index): CompiledReadingItem => {
    const table = new ExpressionTable();
    return {
      index,
      mode: m.mode ?? "upsert",
      matching: m.reading_matching ?? "external_id",
      extraction: compileExtraction(m.jsonataExpression),
      meter: m.meter.unique_ids.map((u) => compileUniqueId(table, u)),
      counter: m.meter_counter
        ? m.meter_counter.unique_ids.map((u) => compileUniqueId(table, u))
        : null,
      fields: compileFields(table, m.fields),
      expressions: table.expressions,
      scopeSource: m.mode === "upsert-prune-scope" ? (m.scope?.source ?? null) : null,
    };
  });
  const entities = (config.entities ?? []).map(compileEntityItem);
  return { config, warnings, readings, entities };
}

const cache = new WeakMap<object, CompileResult>();

/**
 * Validates, then compiles every expression and path of a configuration once. The result is cached
 * per configuration object (treat it as immutable), so a configuration version is never compiled
 * per reading or per import.
 */
export function compileConfig(raw: unknown): CompileResult {
  const cacheable = raw !== null && typeof raw === "object";
  const cached = cacheable ? cache.get(raw) : undefined;
  if (cached) return cached;
  const validation = validateConfig(raw);
  const result: CompileResult = validation.valid
    ? { ok: true, compiled: compileValid(raw as MappingConfig, validation.warnings) }
    : { ok: false, validation };
  if (cacheable) cache.set(raw, result);
  return result;
}
