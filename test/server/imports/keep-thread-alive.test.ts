import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

/**
 * A worker thread that runs `keepThreadAlive` and then throws from a timer callback and leaves a
 * rejection unhandled, as a database driver's socket or timer callback can: it must go on and
 * answer afterwards.
 */
function startWorker() {
  const entry = JSON.stringify(
    new URL("../../../lib/server/imports/keep-thread-alive.ts", import.meta.url).href,
  );
  return new Worker(
    `
    const { parentPort } = require("node:worker_threads");
    import("tsx/esm/api").then(async (tsx) => {
      tsx.register();
      const { keepThreadAlive } = await import(${entry});
      keepThreadAlive("the test thread");
      setImmediate(() => { throw new Error("thrown by a driver callback"); });
      Promise.reject(new Error("rejected with nobody listening"));
      setTimeout(() => parentPort.postMessage("still running"), 100);
    });
    `,
    { eval: true, execArgv: ["--conditions=react-server"], stderr: true },
  );
}

describe("keepThreadAlive", () => {
  it("keeps a worker thread running past an uncaught exception and an unhandled rejection", async () => {
    const worker = startWorker();
    let logged = "";
    worker.stderr.on("data", (chunk: Buffer) => {
      logged += chunk.toString();
    });
    try {
      const outcome = await new Promise((resolve) => {
        worker.once("message", resolve);
        worker.once("error", (error) => resolve(`failed: ${error.message}`));
        worker.once("exit", (code) => resolve(`exited with ${code}`));
      });
      expect(outcome).toBe("still running");
      expect(logged).toContain("thrown by a driver callback");
      expect(logged).toContain("rejected with nobody listening");
    } finally {
      await worker.terminate();
    }
  });
});
