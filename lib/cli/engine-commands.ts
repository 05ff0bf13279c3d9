import { z } from "zod";
import type { CompiledConfig, ExistingState, IntegrationVariables } from "../engine";
import {
  compileConfig,
  existingStateSchema,
  planImport,
  simulateMapping,
  validateConfig,
} from "../engine";
import { parseTimestamp } from "../engine/timestamp";
import {
  CliInputError,
  type CliIo,
  payloadFormat,
  printJson,
  readJsonFile,
  readPayload,
  required,
} from "./cli-io";

export interface EngineArgs {
  config?: string;
  payload?: string;
  format?: string;
  state?: string;
  now?: string;
  vars?: string;
}

/**
 * The integration's variables for `env_var_ref` (SPEC-ENTITIES 5), from a JSON object by key:
 * a string is a plain value, `{ "value", "secret"? }` says whether it is secret.
 */
const variablesFileSchema = z.record(
  z.string(),
  z.union([z.string(), z.object({ value: z.string(), secret: z.boolean().optional() }).strict()]),
);

async function readVariables(path: string | undefined): Promise<IntegrationVariables> {
  if (!path) return {};
  const raw = await readJsonFile(path, "vars");
  const parsed = variablesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at /${issue.path.join("/")}` : "";
    throw new CliInputError(
      `vars file "${path}" has the wrong shape${where}: expected { "key": "value" or { "value", "secret"? } }`,
    );
  }
  const variables: Record<string, { value: string; secret: boolean }> = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    const entry =
      typeof v === "string"
        ? { value: v, secret: false }
        : { value: v.value, secret: v.secret ?? false };
    Object.defineProperty(variables, key, { value: entry, enumerable: true });
  }
  return variables;
}

async function readState(path: string | undefined): Promise<ExistingState> {
  if (!path) return {};
  const raw = await readJsonFile(path, "state");
  const parsed = existingStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at /${issue.path.join("/")}` : "";
    throw new CliInputError(
      `state file "${path}" has the wrong shape${where}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data as ExistingState;
}

function checkNow(now: string | undefined): void {
  if (now !== undefined && parseTimestamp(now) === null) {
    throw new CliInputError(`--now must be an ISO 8601 date-time, got "${now}"`);
  }
}

/** Validates and compiles, or prints the validation JSON and returns null (exit 1). */
async function compileOrReport(io: CliIo, configPath: string): Promise<CompiledConfig | null> {
  const raw = await readJsonFile(configPath, "config");
  const result = compileConfig(raw);
  if (result.ok) return result.compiled;
  printJson(io, result.validation);
  return null;
}

export async function validateCommand(io: CliIo, args: EngineArgs): Promise<number> {
  const raw = await readJsonFile(required(args.config, "config"), "config");
  const result = validateConfig(raw);
  printJson(io, result);
  return result.valid ? 0 : 1;
}

export async function planCommand(io: CliIo, args: EngineArgs): Promise<number> {
  const configPath = required(args.config, "config");
  const payloadPath = required(args.payload, "payload");
  checkNow(args.now);
  // Read every input before printing anything, so a broken state file never follows a validation report.
  const format = payloadFormat(payloadPath, args.format);
  const [payload, state, variables] = await Promise.all([
    readPayload(payloadPath, format),
    readState(args.state),
    readVariables(args.vars),
  ]);
  const compiled = await compileOrReport(io, configPath);
  if (!compiled) return 1;
  const options = args.now ? { now: args.now, variables } : { variables };
  printJson(io, await planImport(compiled, payload, state, options));
  return 0;
}

export async function simulateCommand(io: CliIo, args: EngineArgs): Promise<number> {
  const configPath = required(args.config, "config");
  const payloadPath = required(args.payload, "payload");
  const [payload, variables] = await Promise.all([
    readPayload(payloadPath, payloadFormat(payloadPath, args.format)),
    readVariables(args.vars),
  ]);
  const compiled = await compileOrReport(io, configPath);
  if (!compiled) return 1;
  printJson(io, await simulateMapping(compiled, payload, { variables }));
  return 0;
}
