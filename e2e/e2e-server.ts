import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAccounts, type Role } from "./accounts";

/*
 * The server the specs run against: `next start` from the last build, on a fresh PGlite folder
 * (seeded with the demo at start), in its own process group so stopping it stops everything it
 * spawned. State travels in environment variables: global setup and teardown run in the same
 * Playwright process, and the workers only need the URL.
 */

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

export interface RunningServer {
  pid: number;
  /** The one-time passwords of the accounts made before start (`accounts: true`). */
  oneTimePasswords?: Record<Role, string>;
  /** Temp folder holding the PGlite data and server.log. */
  dir: string;
  logPath: string;
}

export interface ServerOptions {
  /** A Postgres server database instead of a fresh PGlite folder (it gets the demo too). */
  databaseUrl?: string;
  /** Make one account per role with `mms user create` before the server starts. */
  accounts?: boolean;
}

/** `next build`, unless E2E_SKIP_BUILD=1 says the build in .next is current. */
export function buildApp(): void {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  console.log("[e2e] next build (set E2E_SKIP_BUILD=1 to reuse .next)");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export async function startServer(
  port: number,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "mms-e2e-"));
  const logPath = path.join(dir, "server.log");
  const env = {
    ...process.env,
    // The embedded database in a folder no other process uses, unless a server is named.
    DATABASE_URL: options.databaseUrl ?? "",
    MMS_DATA_DIR: path.join(dir, "pglite"),
    MMS_DEMO_SEED: "1",
    // Next leaves SIGTERM to instrumentation.ts, which closes PGlite before exiting.
    NEXT_MANUAL_SIG_HANDLE: "1",
  };
  const oneTimePasswords = options.accounts ? createAccounts(env) : undefined;
  const log = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [nextBin, "start", "-p", String(port)], {
      cwd: root,
      // Its own process group: teardown signals the group, so no next-server is left behind.
      detached: true,
      stdio: ["ignore", log, log],
      env,
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start next start");
  child.unref();
  const server = { pid, dir, logPath, oneTimePasswords };
  try {
    await waitUntilAnswering(`http://localhost:${port}/sign-in`, child, logPath);
  } catch (error) {
    await stopServer(server, { keepFiles: true });
    throw error;
  }
  return server;
}

async function waitUntilAnswering(url: string, child: ChildProcess, logPath: string) {
  let exited: number | null = null;
  child.once("exit", (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`next start exited with ${exited} before answering:\n${tail(logPath)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`next start did not answer ${url} within 90 s:\n${tail(logPath)}`);
}

/** SIGTERM to the whole group, SIGKILL if it is still there after 15 s; then remove its files. */
export async function stopServer(
  server: Omit<RunningServer, "logPath">,
  options: { keepFiles?: boolean } = {},
) {
  if (signalGroup(server.pid, "SIGTERM")) {
    const deadline = Date.now() + 15_000;
    while (groupAlive(server.pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(server.pid)) {
      console.warn(`[e2e] server group ${server.pid} ignored SIGTERM; killing it`);
      signalGroup(server.pid, "SIGKILL");
    }
  }
  const keep = options.keepFiles || process.env.E2E_KEEP_DATA === "1";
  if (keep) console.log(`[e2e] server files kept in ${server.dir}`);
  else rmSync(server.dir, { recursive: true, force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0 as unknown as NodeJS.Signals);
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
