import { readFileSync } from "node:fs";
import { type AppServer, startAppServer, waitForServer } from "../app-server";
import type { FreshDatabase } from "../fresh-database";
import type { Findings } from "./findings";
import { type HttpRequest, send } from "./http";

/** How long a live server may take to answer the liveness probe. */
const LIVENESS_TIMEOUT_MS = 5_000;

/**
 * A `next start` of the proof, on its own database and port, its output in `logFile`. It knows
 * whether it is alive (the process runs and answers GET /api/v1/openapi.json and a small dry run
 * within 5 s each), and a dead or silent one is counted as a crash, killed and started again on
 * the same data.
 */
export class ProofServer {
  private server: AppServer | null = null;
  /** Deaths and silences seen by `ensureAlive`, per part. */
  readonly crashes: { part: string; what: string }[] = [];
  /** Starts that failed before the server answered (e.g. the PGlite folder still locked). */
  readonly refusedStarts: string[] = [];
  /**
   * A small request the server must also answer (below 500) to be alive: on Postgres, events and
   * dry runs go to the import thread, which can be stuck while the main thread answers.
   */
  probe: HttpRequest | null = null;

  constructor(
    readonly name: string,
    readonly database: FreshDatabase,
    readonly port: number,
    readonly logFile: string,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.server?.child.pid;
  }

  running(): boolean {
    return this.server?.running() ?? false;
  }

  /** Starts it; a start that ends before the server answers is retried (up to 10 times). */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const server = startAppServer({
        database: this.database,
        port: this.port,
        logFile: this.logFile,
      });
      this.server = server;
      try {
        await waitForServer(server, 90_000);
        return;
      } catch (error) {
        await server.kill();
        const reason = `${(error as Error).message}; log: ${this.logTail(1)}`;
        this.refusedStarts.push(reason);
        if (attempt >= 10) throw new Error(`${this.name} did not start: ${reason}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** SIGTERM: the server closes its database cleanly. */
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  /** SIGKILL to its process group: a crash, when a test wants one. */
  async kill(): Promise<void> {
    await this.server?.kill();
    this.server = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The process runs and answers the liveness probes in time (the OpenAPI document, `probe`). */
  async alive(timeoutMs = LIVENESS_TIMEOUT_MS): Promise<boolean> {
    if (!this.running()) return false;
    const answer = await send(
      this.baseUrl,
      { method: "GET", path: "/api/v1/openapi.json" },
      timeoutMs,
    );
    if (answer.status !== 200) return false;
    if (!this.probe) return true;
    const probed = await send(this.baseUrl, this.probe, timeoutMs);
    return probed.status > 0 && probed.status < 500;
  }

  /**
   * After a batch: when the server died or stopped answering, counts a crash for `part`, kills
   * what is left of it and starts it again on the same data. Returns whether it was alive.
   */
  async ensureAlive(part: string, findings: Findings, lastRequests: string): Promise<boolean> {
    if (await this.alive()) return true;
    // A process V8 is aborting stops answering a moment before it is gone.
    if (this.running()) await new Promise((r) => setTimeout(r, 2_000));
    const died = !this.running();
    const exit = died ? await this.server?.exited : undefined;
    const what = died
      ? `the process died (code ${exit?.code ?? "?"}, signal ${exit?.signal ?? "-"})`
      : `the process stopped answering (no answer within ${LIVENESS_TIMEOUT_MS} ms)`;
    this.crashes.push({ part, what });
    findings.add(`crash:${part}:${died}:${this.logTail(1).slice(0, 60)}`, {
      part,
      kind: died ? "server died" : "server stopped answering",
      summary: `${this.name}: ${what}; its log ends: ${this.logTail(3)}`,
      reproducer: lastRequests,
    });
    await this.kill();
    await this.start();
    return false;
  }

  /** The last `n` non-empty lines of the server's log, joined. */
  logTail(n: number): string {
    try {
      const lines = readFileSync(this.logFile, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      return lines.slice(-n).join(" | ").slice(0, 500);
    } catch {
      return "(no log)";
    }
  }
}
