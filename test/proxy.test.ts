import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "../proxy";

/** Found by npm run proof: such paths got Next's plain-text 500 before any route ran. */
describe("the proxy in front of /api", () => {
  it("refuses a path escape that does not decode with 400 in the envelope", async () => {
    for (const path of ["/api/v1/use-cases/%zz/dry-run", "/api/v1/a%2Fb/%ED%A0%80"]) {
      const response = proxy(new NextRequest(`http://localhost${path}`, { method: "POST" }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        status: "error",
        message: expect.stringContaining("does not decode"),
        error: { code: "BAD_PATH", details: { path } },
      });
    }
  });

  it("lets every path that decodes through", () => {
    const response = proxy(
      new NextRequest("http://localhost/api/v1/use-cases/z%C3%A4hler/dry-run"),
    );
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });
});
