import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { AppError } from "../../../lib/server/http/app-error";
import { createIntegration } from "../../../lib/server/integrations/integration-service";
import { loadIntegrationVariables } from "../../../lib/server/integrations/integration-variables";
import {
  createIntegrationVariable,
  deleteIntegrationVariableByKey,
  listVariablesForStudio,
  updateIntegrationVariableValue,
} from "../../../lib/server/integrations/manage-integration-variables";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/** Rejects with the AppError code, or a ZodError's first issue path. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.code}:${String(error.details.field ?? "")}`;
    const issues = (error as { issues?: { path: string[] }[] }).issues;
    if (issues) return `zod:${issues[0]?.path.join(".")}`;
    throw error;
  }
  throw new Error("did not fail");
}

describe.each(await testDatabases())("integration variables on %s", (kind) => {
  let client: DbClient;
  let integrationId: string;
  let otherId: string;

  beforeAll(async () => {
    client = await openTestDb(kind);
    integrationId = (await createIntegration(client, "ERP")).integration.id;
    otherId = (await createIntegration(client, "Other")).integration.id;
  });

  afterAll(async () => {
    await client?.close();
  });

  it("adds, lists, edits and deletes variables; the engine gets every value, secrets included", async () => {
    await createIntegrationVariable(client, {
      integrationId,
      key: "tenant.id",
      value: "T-42",
    });
    const secret = await createIntegrationVariable(client, {
      integrationId,
      key: "api-token",
      value: "s3cr3t",
      secret: "on",
    });
    expect(secret).toMatchObject({ key: "api-token", secret: true, value: null });
    await createIntegrationVariable(client, {
      integrationId: otherId,
      key: "tenant.id",
      value: "X",
    });

    expect(await listVariablesForStudio(client, integrationId)).toMatchObject([
      { key: "api-token", secret: true, value: null },
      { key: "tenant.id", secret: false, value: "T-42" },
    ]);
    const loaded = await loadIntegrationVariables(client.db, integrationId);
    expect({ ...loaded }).toEqual({
      "api-token": { value: "s3cr3t", secret: true },
      "tenant.id": { value: "T-42", secret: false },
    });

    await updateIntegrationVariableValue(client, {
      integrationId,
      key: "tenant.id",
      value: "T-43",
    });
    expect((await loadIntegrationVariables(client.db, integrationId))["tenant.id"]).toEqual({
      value: "T-43",
      secret: false,
    });
    await deleteIntegrationVariableByKey(client, { integrationId, key: "tenant.id" });
    expect(Object.keys(await loadIntegrationVariables(client.db, integrationId))).toEqual([
      "api-token",
    ]);
    expect(Object.keys(await loadIntegrationVariables(client.db, otherId))).toEqual(["tenant.id"]);
  });

  it("never shows a secret again: a blank edit keeps it, a new value replaces it, unmarking needs a new value", async () => {
    await createIntegrationVariable(client, {
      integrationId,
      key: "password",
      value: "first",
      secret: "on",
    });
    const kept = await updateIntegrationVariableValue(client, {
      integrationId,
      key: "password",
      value: "",
      secret: "on",
    });
    expect(kept.value).toBeNull();
    expect((await loadIntegrationVariables(client.db, integrationId)).password?.value).toBe(
      "first",
    );
    await updateIntegrationVariableValue(client, {
      integrationId,
      key: "password",
      value: "second",
      secret: "on",
    });
    expect((await loadIntegrationVariables(client.db, integrationId)).password?.value).toBe(
      "second",
    );
    expect(
      await failure(
        updateIntegrationVariableValue(client, { integrationId, key: "password", value: "" }),
      ),
    ).toBe("INVALID_REQUEST:value");
    const plain = await updateIntegrationVariableValue(client, {
      integrationId,
      key: "password",
      value: "now-public",
    });
    expect(plain).toMatchObject({ secret: false, value: "now-public" });
    const listed = JSON.stringify(await listVariablesForStudio(client, integrationId));
    expect(listed).not.toContain("s3cr3t");
  });

  it("refuses a taken key, a malformed key, an unknown integration and unstorable text", async () => {
    await createIntegrationVariable(client, { integrationId, key: "dup", value: "1" });
    expect(
      await failure(createIntegrationVariable(client, { integrationId, key: "dup", value: "2" })),
    ).toBe("CONFLICT:key");
    for (const bad of ["", "Upper", "_lead", "has space", "x".repeat(129), "ü"]) {
      expect(
        await failure(createIntegrationVariable(client, { integrationId, key: bad, value: "v" })),
        bad,
      ).toBe("zod:key");
    }
    expect(
      await failure(
        createIntegrationVariable(client, {
          integrationId: "00000000-0000-4000-8000-000000000000",
          key: "k",
          value: "v",
        }),
      ),
    ).toBe("NOT_FOUND:");
    expect(
      await failure(
        createIntegrationVariable(client, { integrationId, key: "nul", value: "a\u0000b" }),
      ),
    ).toBe("zod:value");
    expect(
      await failure(deleteIntegrationVariableByKey(client, { integrationId, key: "missing" })),
    ).toBe("NOT_FOUND:");
  });

  it("keeps the key rule in the database too", async () => {
    await expect(
      query(
        client.db,
        sql`INSERT INTO integration_variables (integration_id, key, value) VALUES (${integrationId}, 'Bad Key', 'v')`,
      ),
    ).rejects.toThrow();
  });

  it("loads keys named like Object.prototype members as plain variables", async () => {
    await createIntegrationVariable(client, { integrationId, key: "constructor", value: "c" });
    const loaded = await loadIntegrationVariables(client.db, integrationId);
    expect(loaded.constructor).toEqual({ value: "c", secret: false });
    expect(loaded.toString).toBeUndefined();
  });
});
