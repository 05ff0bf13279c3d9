import { describe, expect, it, vi } from "vitest";
import { toActionResult } from "../../../lib/server/http/action-result";
import { AppError } from "../../../lib/server/http/app-error";
import { attempt } from "../../../lib/server/studio/studio-use-case-service";

describe("the server actions' failure path", () => {
  it("answers an unexpected failure with a message that names the error id of its log line", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const run of [toActionResult, attempt]) {
        log.mockClear();
        const result = await run(async () => {
          throw new Error("secret database detail");
        });
        expect(result).toMatchObject({ ok: false, fieldErrors: {} });
        const message = result.ok ? "" : result.message;
        expect(message).not.toContain("secret");
        const [errorId] = /[0-9a-f]{8}-[0-9a-f-]{27}/.exec(message) ?? [];
        expect(errorId).toBeDefined();
        expect(log).toHaveBeenCalledWith(
          expect.stringContaining(errorId as string),
          expect.objectContaining({ message: "secret database detail" }),
        );
      }
    } finally {
      log.mockRestore();
    }
  });

  it("keeps an AppError's message and field", async () => {
    const result = await toActionResult(async () => {
      throw new AppError("CONFLICT", "Taken", { field: "slug" });
    });
    expect(result).toEqual({ ok: false, message: "Taken", fieldErrors: { slug: ["Taken"] } });
  });
});
