import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { DbClient } from "../../../db/client";
import { findActiveKey, insertApiKey } from "../../../db/repository";
import { AppError } from "../http/app-error";

const PREFIX = "mms_";

/** A new API key: shown once, stored only as its hash. */
export function generateApiKey(): string {
  return `${PREFIX}${randomBytes(24).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key for an integration; returns the key itself (the only time it exists in clear). */
export async function issueApiKey(
  client: DbClient,
  integrationId: string,
  name: string | null = null,
) {
  const key = generateApiKey();
  const record = await insertApiKey(client.db, {
    integrationId,
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 12),
    name,
  });
  return { key, record };
}

/** The integration a bearer key belongs to: 401 without a key or with an unknown or revoked one. */
export async function authenticate(
  client: DbClient,
  authorization: string | null,
): Promise<{ integrationId: string; keyId: string }> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) {
    throw new AppError(
      "UNAUTHORIZED",
      "Send the integration's API key as `Authorization: Bearer <key>`",
    );
  }
  const key = await findActiveKey(client.db, hashApiKey(match[1] as string));
  if (!key) throw new AppError("UNAUTHORIZED", "The API key is unknown or revoked");
  return { integrationId: key.integrationId, keyId: key.id };
}
