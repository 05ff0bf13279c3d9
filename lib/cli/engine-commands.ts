import type { CompiledConfig, ExistingState } from "../engine";
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
  const [payload, state] = await Promise.all([
    readPayload(payloadPath, format),
    readState(args.state),
  ]);
  const compiled = await compileOrReport(io, configPath);
  if (!compiled) return 1;
  const options = args.now ? { now: args.now } : {};
  printJson(io, await planImport(compiled, payload, state, options));
  return 0;
}

export async function simulateCommand(io: CliIo, args: EngineArgs): Promise<number> {
  const configPath = required(args.config, "config");
  const payloadPath = required(args.payload, "payload");
  const payload = await readPayload(payloadPath, payloadFormat(payloadPath, args.format));
  const compiled = await compileOrReport(io, configPath);
  if (!compiled) return 1;
  printJson(io, await simulateMapping(compiled, payload));
  return 0;
}
