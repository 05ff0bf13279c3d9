"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { toActionResult } from "@/lib/server/http/action-result";
import { findMeters, meterQuerySchema, meterReadings } from "@/lib/server/support/meter-service";

const searchInput = z.object({ value: z.string().max(500) });

/** The header's meter search: meters whose unique attribute value is exactly the one typed. */
export const searchMetersAction = authorizedAction(
  { name: "support.searchMeters", permission: "view" },
  async (input: unknown) =>
    toActionResult(async () => {
      const { value } = searchInput.parse(input);
      return findMeters(getDb().db, value);
    }),
);

const readingsInput = z.object({
  meterId: z.string().max(64),
  query: z.record(z.string(), z.unknown()),
  cursor: z.string().max(200),
});

/** The next page of a meter's readings, for the virtualised table. */
export const meterReadingsAction = authorizedAction(
  { name: "support.meterReadings", permission: "view" },
  async (input: unknown) =>
    toActionResult(async () => {
      const { meterId, query, cursor } = readingsInput.parse(input);
      return meterReadings(getDb().db, meterId, meterQuerySchema.parse(query), cursor);
    }),
);
