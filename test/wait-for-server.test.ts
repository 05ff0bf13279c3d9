import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, waitForServer } from "../scripts/app-server";
import { withDeadline } from "../scripts/deadline";

describe("withDeadline", () => {
  it("passes an answer through, and rejects a wait that never ends once its time is up", async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000)).resolves.toBe(7);
    await expect(withDeadline(new Promise(() => {}), 50, "the page")).rejects.toThrow(
      "the page did not come within 50 ms",
    );
  });
});

describe("waitForServer", () => {
  let server: Server;
  let requests = 0;
  beforeAll(async () => {
    // The first answer sends its headers and part of its body, then stalls past the attempt's
    // abort (2 s): Node's fetch can leave such a body read pending for good.
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(200, { "content-type": "application/json" });
      if (requests === 1) {
        response.write('{"openapi":');
        setTimeout(() => response.end('"3.1.0"}'), 4_000).unref();
      } else response.end('{"openapi":"3.1.0"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("tries again when an answer stalls mid-body, instead of waiting for it forever", async () => {
    const { port } = server.address() as AddressInfo;
    const app = {
      baseUrl: `http://127.0.0.1:${port}`,
      running: () => true,
      exited: new Promise(() => {}),
    } as unknown as AppServer;
    const started = performance.now();
    await waitForServer(app, 10_000);
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(4_000);
  }, 15_000);
});
