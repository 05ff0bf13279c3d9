import type { DbClient } from "../../db/client";
import { applyImport, type ImportRequest } from "../../lib/server/imports/import-service";

/**
 * An import that plans, then holds its transaction (and its locks) until `release()`: for tests
 * of what waits for it. `planned` settles once it holds; `order` gets "import" when it goes on,
 * and whatever the test pushes beside it.
 */
export async function heldImport(client: DbClient, request: ImportRequest) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let planned: () => void = () => {};
  const holding = new Promise<void>((resolve) => {
    planned = resolve;
  });
  const order: string[] = [];
  const done = applyImport(client, request, {
    afterPlan: async () => {
      planned();
      await gate;
      order.push("import");
    },
  });
  await holding;
  return { done, release, order };
}

/** Long enough for a statement that does not wait on a lock to have finished. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
