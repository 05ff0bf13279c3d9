import "server-only";
import path from "node:path";
import { z } from "zod";

/** Unset and empty mean the same thing (`DATABASE_URL=` in a .env file). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const envSchema = z.object({
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL"),
  ),
  MMS_DATA_DIR: optional(z.string().trim().min(1)),
  MMS_BODY_LIMIT_BYTES: optional(
    z.coerce
      .number({ error: "must be a number of bytes" })
      .int("must be a whole number of bytes")
      .positive("must be positive"),
  ),
  NODE_ENV: optional(z.enum(["development", "test", "production"])),
  MMS_DEMO_SEED: optional(z.enum(["0", "1"], { error: "must be 0 or 1" })),
  PORT: optional(z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535)),
  BETTER_AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
});

export interface Env {
  /** Postgres server URL; undefined means the embedded PGlite in `MMS_DATA_DIR`. */
  readonly DATABASE_URL: string | undefined;
  /** Absolute path of the PGlite folder (default `<cwd>/.data/pglite`). */
  readonly MMS_DATA_DIR: string;
  /** Largest accepted request body (default 50 MiB). */
  readonly MMS_BODY_LIMIT_BYTES: number;
  readonly NODE_ENV: "development" | "test" | "production";
  /** Seed demo data into an empty database: on by default for PGlite, off with DATABASE_URL. */
  readonly MMS_DEMO_SEED: boolean;
  /** The port the server listens on (`next start -p` sets it); only for links in the log. */
  readonly PORT: number;
  /** Signs session cookies; unset: a random one generated on first start, kept in the database. */
  readonly BETTER_AUTH_SECRET: string | undefined;
}

export class EnvError extends Error {
  override readonly name = "EnvError";
}

/** Validates an environment; throws an `EnvError` naming every bad variable. */
export function parseEnv(
  source: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".");
      // A database URL may carry a password: name it, never echo it.
      const shown =
        key === "DATABASE_URL" || key === "BETTER_AUTH_SECRET"
          ? ""
          : `=${JSON.stringify(source[key] ?? "")}`;
      return `  ${key}${shown}: ${issue.message}`;
    });
    throw new EnvError(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  const parsed = result.data;
  return Object.freeze({
    DATABASE_URL: parsed.DATABASE_URL,
    MMS_DATA_DIR: path.resolve(cwd, parsed.MMS_DATA_DIR ?? ".data/pglite"),
    MMS_BODY_LIMIT_BYTES: parsed.MMS_BODY_LIMIT_BYTES ?? 50 * 1024 * 1024,
    NODE_ENV: parsed.NODE_ENV ?? "development",
    MMS_DEMO_SEED:
      parsed.MMS_DEMO_SEED === undefined ? !parsed.DATABASE_URL : parsed.MMS_DEMO_SEED === "1",
    PORT: parsed.PORT ?? 3000,
    BETTER_AUTH_SECRET: parsed.BETTER_AUTH_SECRET,
  });
}

let cached: Env | undefined;

/** The process environment, validated on first use (so `next build` never needs it). */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Lazy view of `getEnv()`: reading a property validates the whole environment once. */
export const env: Env = Object.freeze({
  get DATABASE_URL() {
    return getEnv().DATABASE_URL;
  },
  get MMS_DATA_DIR() {
    return getEnv().MMS_DATA_DIR;
  },
  get MMS_BODY_LIMIT_BYTES() {
    return getEnv().MMS_BODY_LIMIT_BYTES;
  },
  get MMS_DEMO_SEED() {
    return getEnv().MMS_DEMO_SEED;
  },
  get NODE_ENV() {
    return getEnv().NODE_ENV;
  },
  get PORT() {
    return getEnv().PORT;
  },
  get BETTER_AUTH_SECRET() {
    return getEnv().BETTER_AUTH_SECRET;
  },
});
