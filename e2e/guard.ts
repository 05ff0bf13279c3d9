import { test as base, expect } from "@playwright/test";

/*
 * Every request any page makes is recorded: nothing may leave the app's origin (Monaco, its
 * workers, the API reference and fonts are served by the app), and no page may throw.
 */
export interface Guard {
  /** Requests to another origin (websocket, data: and blob: URLs aside). */
  offOrigin: string[];
  pageErrors: Error[];
}

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context, page, baseURL }, use) => {
      const origin = new URL(baseURL ?? "http://localhost").origin;
      const guard: Guard = { offOrigin: [], pageErrors: [] };
      // The context sees the requests of every page and worker, not only of `page`.
      context.on("request", (request) => {
        const url = request.url();
        if (/^(data|blob|wss?):/.test(url)) return;
        if (new URL(url).origin !== origin) guard.offOrigin.push(`${request.method()} ${url}`);
      });
      page.on("pageerror", (error) => guard.pageErrors.push(error));
      await use(guard);
      expect(
        guard.pageErrors.map((e) => (e.stack ?? e.message).split("\n").slice(0, 4).join("\n")),
        "errors thrown in the page",
      ).toEqual([]);
      expect(guard.offOrigin, `requests that left ${origin}`).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
