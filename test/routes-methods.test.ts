import { describe, expect, it } from "vitest";
import { DELETE, GET, PATCH, POST, PUT } from "../app/api/[...path]/route";
import * as events from "../app/api/v1/erp/updates/events/route";
import * as simulation from "../app/api/v1/erp/updates/mapping_simulation/route";
import * as openApi from "../app/api/v1/openapi.json/route";
import * as dryRun from "../app/api/v1/use-cases/[slug]/dry-run/route";
import { errorEnvelopeSchema } from "../lib/api/erp-schemas";

/** Issue 14, item 9: a wrong method or an unknown /api path answers in the envelope, never an empty body or an HTML page. */

const url = "http://localhost/api/v1/x";

describe("a method a route does not serve", () => {
  const cases = [
    ["events", events, ["GET", "PUT", "PATCH", "DELETE"], "POST"],
    ["mapping simulation", simulation, ["GET", "PUT", "PATCH", "DELETE"], "POST"],
    ["dry run", dryRun, ["GET", "PUT", "PATCH", "DELETE"], "POST"],
    ["OpenAPI document", openApi, ["POST", "PUT", "PATCH", "DELETE"], "GET"],
  ] as const;

  for (const [name, module, methods, allowed] of cases) {
    it(`answers 405 in the envelope on the ${name} route, naming ${allowed}`, async () => {
      for (const method of methods) {
        const handler = (module as unknown as Record<string, (r: Request) => Promise<Response>>)[
          method
        ];
        expect(handler, method).toBeTypeOf("function");
        const response = await (handler as (r: Request) => Promise<Response>)(
          new Request(url, { method }),
        );
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")).toBe(allowed);
        const body = errorEnvelopeSchema.parse(await response.json());
        expect(body.error).toEqual({
          code: "METHOD_NOT_ALLOWED",
          details: { allowed: [allowed] },
        });
      }
    });
  }
});

describe("an /api path no route serves", () => {
  it("answers 404 in the envelope for every method", async () => {
    const handlers = { GET, POST, PUT, PATCH, DELETE };
    for (const [method, handler] of Object.entries(handlers)) {
      const response = await handler(new Request("http://localhost/api/v2/nothing", { method }));
      expect(response.status).toBe(404);
      expect(errorEnvelopeSchema.parse(await response.json()).error).toEqual({
        code: "NOT_FOUND",
        details: { path: "/api/v2/nothing" },
      });
    }
  });
});
