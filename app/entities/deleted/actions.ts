"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { restoreEntity } from "@/lib/server/entities/restore-entity";
import { attempt, type StudioResult } from "@/lib/server/studio/studio-use-case-service";

const schema = z.object({ entityId: z.string().max(64) });

const malformed: StudioResult<never> = {
  ok: false,
  message: "The request is malformed; reload the page",
  fieldErrors: {},
};

/**
 * Restores one soft-deleted entity (SPEC-ENTITIES 4.2). A refusal carries its code: CONFLICT for
 * a live twin, an entity past its 30 days or one restored already, NOT_FOUND for a purged one.
 */
export const restoreEntityAction = authorizedAction(
  {
    name: "entity.restore",
    permission: "author",
    audit: (result) =>
      result.ok
        ? {
            targetType: "entity",
            targetId: result.data.id,
            targetLabel: `${result.data.entity_schema} (${result.data.label})`,
            details: {
              entitySchema: result.data.entity_schema,
              deletedByImport: result.data.deleted_by,
              twinChecked: result.data.twin_checked,
            },
          }
        : null,
  },
  async (input: z.input<typeof schema>) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return malformed;
    const result = await attempt(() => restoreEntity(getDb(), parsed.data.entityId));
    if (result.ok) revalidatePath("/entities/deleted");
    return result;
  },
);
