import "server-only";
import { z } from "zod";
import type { DbClient } from "../../../db/client";
import {
  deleteIntegrationVariable,
  findIntegration,
  findIntegrationVariable,
  type IntegrationVariableRow,
  insertIntegrationVariable,
  listIntegrationVariables,
  updateIntegrationVariable,
} from "../../../db/repository";
import { INTEGRATION_VARIABLE_KEY } from "../../../db/schema";
import { dbText } from "../../api/erp-schemas";
import { AppError } from "../http/app-error";

/*
 * The integration page's variables: list, add, edit, delete (SPEC-ENTITIES 5). A secret's value
 * is write-only: it is stored and used by imports, but no function here ever returns it.
 */

const MAX_VALUE = 10_000;
const KEY_RULE =
  "Use 1 to 128 characters: lowercase letters, digits, _ . and -, starting with a letter or digit";

const integrationId = z.guid("Not a valid id");
const key = z
  .string()
  .trim()
  .min(1, "Give the variable a key")
  .regex(new RegExp(INTEGRATION_VARIABLE_KEY), KEY_RULE);
const value = dbText.max(MAX_VALUE, `Keep the value under ${MAX_VALUE} characters`);
/** A checkbox: present ("on") when ticked, absent otherwise. */
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

const createInput = z.object({ integrationId, key, value, secret: checkbox });
const updateInput = z.object({ integrationId, key, value: value.optional(), secret: checkbox });
const deleteInput = z.object({ integrationId, key });

/** A variable as the studio may show it: a secret's value is null, always. */
export interface VariableView {
  key: string;
  secret: boolean;
  value: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function view(row: IntegrationVariableRow): VariableView {
  return {
    key: row.key,
    secret: row.secret,
    value: row.secret ? null : row.value,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function requireIntegration(client: DbClient, id: string) {
  const integration = await findIntegration(client.db, id);
  if (!integration) throw new AppError("NOT_FOUND", "No such integration", { integration_id: id });
}

/** The integration's variables, secrets without their values. */
export async function listVariablesForStudio(
  client: DbClient,
  id: string,
): Promise<VariableView[]> {
  const rows = await listIntegrationVariables(client.db, integrationId.parse(id));
  return rows.map(view);
}

export async function createIntegrationVariable(client: DbClient, input: unknown) {
  const parsed = createInput.parse(input);
  await requireIntegration(client, parsed.integrationId);
  const row = await insertIntegrationVariable(client.db, parsed);
  if (!row)
    throw new AppError("CONFLICT", `This integration already has a variable "${parsed.key}"`, {
      field: "key",
    });
  return view(row);
}

/**
 * A new value, or a new secret flag. A secret left blank keeps its value (it cannot be shown to
 * be edited); a secret becomes plain only with a new value, so no secret is ever revealed.
 */
export async function updateIntegrationVariableValue(client: DbClient, input: unknown) {
  const parsed = updateInput.parse(input);
  const existing = await findIntegrationVariable(client.db, parsed.integrationId, parsed.key);
  if (!existing)
    throw new AppError("NOT_FOUND", `There is no variable "${parsed.key}"`, { field: "key" });
  const blank = parsed.value === undefined || parsed.value === "";
  if (existing.secret && blank && !parsed.secret)
    throw new AppError(
      "INVALID_REQUEST",
      "A secret's value is never shown again: give a new value to make it a plain variable",
      { field: "value" },
    );
  const next = existing.secret && blank ? existing.value : (parsed.value ?? "");
  const row = await updateIntegrationVariable(client.db, parsed.integrationId, parsed.key, {
    value: next,
    secret: parsed.secret,
  });
  if (!row) throw new AppError("NOT_FOUND", `There is no variable "${parsed.key}"`);
  return view(row);
}

export async function deleteIntegrationVariableByKey(client: DbClient, input: unknown) {
  const parsed = deleteInput.parse(input);
  const row = await deleteIntegrationVariable(client.db, parsed.integrationId, parsed.key);
  if (!row) throw new AppError("NOT_FOUND", `There is no variable "${parsed.key}"`);
  return { key: parsed.key };
}
