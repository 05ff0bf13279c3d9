import type { DbClient } from "../../db/client";
import { AppError } from "../server/http/app-error";
import { DataDirInUseError } from "../server/platform/data-dir-lock";
import { EnvError } from "../server/platform/env";
import { describeDatabase, openDatabase } from "../server/platform/startup";
import { CliInputError } from "./cli-io";

/**
 * Runs `work` on the operator database (DATABASE_URL, else the PGlite folder MMS_DATA_DIR,
 * locked and migrated) and closes it. What an operator can fix (a folder in use, a bad
 * environment, an unreachable server, a request the services refuse) becomes a one-line
 * CliInputError (exit 2); CONFIG_INVALID is left to the command, which prints the validation.
 */
export async function withOperatorDb<T>(work: (client: DbClient) => Promise<T>): Promise<T> {
  let client: DbClient;
  try {
    client = await openDatabase();
  } catch (error) {
    throw openFailure(error);
  }
  try {
    return await work(client);
  } catch (error) {
    if (error instanceof AppError && error.code !== "CONFIG_INVALID") {
      throw new CliInputError(error.message);
    }
    throw error;
  } finally {
    await client.close();
  }
}

function openFailure(error: unknown): Error {
  if (error instanceof DataDirInUseError) return new CliInputError(error.message);
  if (error instanceof EnvError) {
    return new CliInputError(
      error.message.replace(/:?\n\s*/g, (sep) => (sep.startsWith(":") ? ": " : "; ")),
    );
  }
  let where: string;
  try {
    where = describeDatabase();
  } catch {
    where = "the database";
  }
  return new CliInputError(`cannot open ${where}: ${rootCause(error)}`);
}

/** drizzle wraps driver errors in a multi-line "Failed query: ..."; the cause says what is wrong. */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.split("\n")[0] ?? message;
}
