import { z } from "zod";

// Building blocks shared by the reading and the entity schemas (config-schema.ts,
// entity-schema.ts). Every key carries a description: the editor shows it on hover.

export const jsonata = (what: string) =>
  z
    .string()
    .describe(`JSONata expression ${what}. \`$\` is the current item, \`$$\` the root payload.`);

export const fieldPath = z
  .string()
  .describe(
    "Path into the current item (`meterId`, `a.b`, `$.a.b`); a path starting with `$$` reads the root payload (`$$.batchId`).",
  );

export const constantValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .describe("A fixed value used for every reading.");
