import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { withDeadline } from "./deadline";
import type { FreshDatabase } from "./fresh-database";

/** The repository root (scripts/ sits right under it). */
export const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

/** What the built server is made of: a build older than any of these is stale. */
const SOURCES = [
  "app",
  "lib",
  "db",
  "components",
  "public",
  "instrumentation.ts",
  "next.config.js",
  "package-lock.json",
];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === "node_modules" || child.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/**
 * Runs `next build` when there is no build or the sources changed after it (a rebase or an edit),
 * so a script never measures yesterday's server. Returns whether it built.
 */
export function ensureBuilt(log: (line: string) => void): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (builtAt > changedAt) return false;
  log(builtAt ? "the sources changed since the last build: next build ..." : "next build ...");
  execFileSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  return true;
}

/** A TCP port nobody listens on right now (machines here are shared: never assume 3000 is free). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  database: Pick<FreshDatabase, "url" | "dataDir">;
  port: number;
  /** stdout and stderr are appended to this file; without it they are inherited. */
  logFile?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Node flags for the server process (e.g. profiling). */
  nodeArgs?: string[];
}

export interface AppServer {
  readonly port: number;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Settles when the process has exited (and was reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** SIGTERM to the whole process group, then waits for the exit (the server closes its database). */
  stop(): Promise<void>;
  /** SIGKILL to the whole process group, then waits for the exit: a crash, as a test wants it. */
  kill(): Promise<void>;
}

/** Process groups still running, killed by `killAllServers` (a script's exit and Ctrl-C). */
const live = new Set<number>();

/**
 * `next start` on the given database, as production runs it (NODE_ENV=production,
 * NEXT_MANUAL_SIG_HANDLE=1 so the server closes its database on SIGTERM), in a process group of
 * its own so it and anything it starts can be stopped together. It does not wait for the server
 * to answer: see `waitForServer`.
 */
export function startAppServer(options: StartOptions): AppServer {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    NEXT_MANUAL_SIG_HANDLE: "1",
    NODE_ENV: "production",
    ...options.env,
  };
  if (options.database.url) env.DATABASE_URL = options.database.url;
  else {
    delete env.DATABASE_URL;
    env.MMS_DATA_DIR = options.database.dataDir;
  }
  const out = options.logFile ? openSync(options.logFile, "a") : "inherit";
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), nextBin, "start", "-p", String(options.port)],
    { cwd: root, env, stdio: ["ignore", out, out], detached: true },
  );
  if (typeof out === "number") closeSync(out);
  const pid = child.pid as number;
  live.add(pid);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(pid);
      // Whatever the server started in its group goes with it.
      signalGroup(pid, "SIGKILL");
      resolve({ code, signal });
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    if (running()) signalGroup(pid, signal);
    await exited;
  };
  return {
    port: options.port,
    baseUrl: `http://127.0.0.1:${options.port}`,
    child,
    exited,
    running,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Kills every server this process started and that still runs (synchronous: exit handlers). */
export function killAllServers(): void {
  for (const pid of live) signalGroup(pid, "SIGKILL");
  live.clear();
}

/**
 * Waits until the server answers GET /api/v1/openapi.json with 200. Throws when the process
 * exits first (with its exit code) or after `timeoutMs`.
 */
export async function waitForServer(server: AppServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!server.running()) {
      const { code, signal } = await server.exited;
      throw new Error(`the server exited before it answered (code ${code}, signal ${signal})`);
    }
    try {
      // The whole attempt under a deadline: its body read alone once hung a bench for good.
      const answered = withDeadline(
        (async () => {
          const res = await fetch(`${server.baseUrl}/api/v1/openapi.json`, {
            signal: AbortSignal.timeout(2_000),
          });
          await res.arrayBuffer();
          return res.ok;
        })(),
        2_500,
      );
      if (await answered) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer within ${timeoutMs / 1000} s`);
}
