"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { storedEntity } from "@/lib/server/studio/stored-entity";
import { storedReading } from "@/lib/server/studio/studio-preview-service";

const input = z.object({ readingId: z.string().max(64) });
const entityInput = z.object({ entityId: z.string().max(64) });

/** The stored reading a recorded decision created, updated or duplicated (the drawer). */
export const supportStoredReadingAction = authorizedAction(
  { name: "support.storedReading", permission: "view" },
  async (raw: unknown) => {
    const parsed = input.safeParse(raw);
    if (!parsed.success)
      return { ok: false as const, message: "Malformed request", fieldErrors: {} };
    return storedReading(getDb(), parsed.data.readingId);
  },
);

/** A stored entity that a recorded entity decision relates to (the drawer). */
export const supportStoredEntityAction = authorizedAction(
  { name: "support.storedEntity", permission: "view" },
  async (raw: unknown) => {
    const parsed = entityInput.safeParse(raw);
    if (!parsed.success)
      return { ok: false as const, message: "Malformed request", fieldErrors: {} };
    return storedEntity(getDb(), parsed.data.entityId);
  },
);
