"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { applyReplay } from "@/lib/server/imports/replay-service";
import { storedEntity } from "@/lib/server/studio/stored-entity";
import { storedReading } from "@/lib/server/studio/studio-preview-service";
import { attempt, type StudioResult } from "@/lib/server/studio/studio-use-case-service";

// The replay page's doors: each parses what the browser sent, then calls one service. The event,
// its payload and the configuration are always found again on the server from the id.
const count = z.number().int().nonnegative();
const schemas = {
  apply: z.object({
    id: z.string().max(64),
    choice: z.enum(["published", "draft"]),
    versionId: z.string().max(64).nullable(),
    draftUpdatedAt: z.string().max(40).nullable(),
    confirmed: z.object({
      fingerprint: z.string().max(100),
      summary: z.object({
        create: count,
        update: count,
        unchanged: count,
        skip: count,
        delete: count,
        error: count,
      }),
    }),
  }),
  storedReading: z.object({ readingId: z.string().max(64) }),
  storedEntity: z.object({ entityId: z.string().max(64) }),
};

const malformed: StudioResult<never> = {
  ok: false,
  message: "The request is malformed; reload the page",
  fieldErrors: {},
};

/**
 * Applies a replay (trigger "replay"), only with the configuration and the plan the user
 * confirmed: anything else is refused with nothing written.
 */
export const applyReplayAction = authorizedAction(
  {
    name: "replay.apply",
    permission: "author",
    audit: (result, [input]) => ({
      targetType: "import",
      targetId: result.ok ? ((result.data as { importId?: string }).importId ?? null) : null,
      details: { replayed: (input as { id?: unknown })?.id ?? null },
    }),
  },
  async (input: z.input<typeof schemas.apply>) => {
    const parsed = schemas.apply.safeParse(input);
    if (!parsed.success) return malformed;
    const { id, ...confirmation } = parsed.data;
    return attempt(() => applyReplay(getDb(), id, confirmation));
  },
);

/** A stored reading for the decision drawer of the replay's plan. */
export const replayStoredReadingAction = authorizedAction(
  { name: "replay.storedReading", permission: "view" },
  async (input: z.input<typeof schemas.storedReading>) => {
    const parsed = schemas.storedReading.safeParse(input);
    return parsed.success ? storedReading(getDb(), parsed.data.readingId) : malformed;
  },
);

/** A stored entity that an entity decision of the replay's plan relates to. */
export const replayStoredEntityAction = authorizedAction(
  { name: "replay.storedEntity", permission: "view" },
  async (input: z.input<typeof schemas.storedEntity>) => {
    const parsed = schemas.storedEntity.safeParse(input);
    return parsed.success ? storedEntity(getDb(), parsed.data.entityId) : malformed;
  },
);
