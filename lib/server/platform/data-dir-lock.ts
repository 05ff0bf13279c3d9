import "server-only";
import {
  mkdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/** The lock file inside a PGlite folder; PGlite ignores files it does not know. */
export const LOCK_FILE_NAME = "mms.lock";

/** Another live process holds the folder: two PGlite instances on one folder corrupt it. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the database folder ${dataDir} is in use by process ${pid} (a running server?); stop it or set DATABASE_URL`,
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void;
}

// On globalThis: a Next server may evaluate this module once per bundle.
const held = globalThis as typeof globalThis & { __mmsHeldDataDirs?: Set<string> };
held.__mmsHeldDataDirs ??= new Set<string>();
const heldDirs = held.__mmsHeldDataDirs;

/**
 * Takes the folder's exclusive lock: the lock file is created with `wx` and holds our pid. A lock
 * whose pid is alive is refused; one whose process died (kill -9, a crash, a container restart
 * that reused our own pid) is replaced. Released on `release()` and on process exit.
 * @throws DataDirInUseError when another live process (or thread of this one) holds it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE_NAME);
  if (heldDirs.has(dir)) throw new DataDirInUseError(dir, process.pid);
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryCreate(file)) return holdLock(dir, file);
    const holder = readHolder(file);
    if (holder === "missing") continue;
    if (holder === "unreadable") {
      // Between another process's `open(wx)` and its write the file is empty: give it a moment.
      if ((ageMs(file) ?? 0) < 2_000) {
        sleepSync(50);
        continue;
      }
    } else if (holder === process.pid ? writtenSinceWeStarted(file) : isAlive(holder)) {
      throw new DataDirInUseError(dir, holder);
    }
    removeStale(file, holder);
  }
  throw new Error(`could not take the lock ${file}: it keeps changing (another process starting?)`);
}

function holdLock(dir: string, file: string): DataDirLock {
  heldDirs.add(dir);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldDirs.delete(dir);
    process.off("exit", release);
    if (readHolder(file) === process.pid) rmSync(file, { force: true });
  };
  // Exit handlers must be synchronous: every step of release() is.
  process.on("exit", release);
  return { file, release };
}

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

type Holder = number | "missing" | "unreadable";

function readHolder(file: string): Holder {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return /^\d+$/.test(text.trim()) && pid > 0 ? pid : "unreadable";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A process killed with SIGKILL answers kill(pid, 0) until its parent reaps it (about 1.5 s
  // behind npm), although it holds nothing any more: a zombie is dead.
  return !isZombie(pid);
}

/**
 * Whether Linux says the process has exited and waits to be reaped (state Z, or X while it is
 * being reaped). Elsewhere, or when /proc cannot tell, it is not taken for one.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // "pid (comm) state ...": the command name may hold spaces and parentheses of its own.
  const state = stat.charAt(stat.lastIndexOf(")") + 2);
  return state === "Z" || state === "X";
}

/**
 * Our own pid in the file: written by this process (another worker thread) since it started, or
 * left by an earlier process that had the same pid (a container restart reuses small pids).
 */
function writtenSinceWeStarted(file: string): boolean {
  return (ageMs(file) ?? Number.POSITIVE_INFINITY) <= process.uptime() * 1000 + 1_000;
}

/** Milliseconds since the file was written; undefined when it is gone. */
function ageMs(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Two processes that both found the same stale lock must not both delete it: the second would
 * delete the fresh lock the first just wrote. A `mkdir` guard (atomic) lets one of them at a time
 * re-check that the file still names the dead holder before removing it.
 */
function removeStale(file: string, staleHolder: Holder): void {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // A guard left by a process killed mid-takeover would block everyone forever.
    if ((ageMs(guard) ?? 0) > 10_000) rmSync(guard, { recursive: true, force: true });
    else sleepSync(50);
    return;
  }
  try {
    if (readHolder(file) === staleHolder) unlinkSync(file);
  } finally {
    rmdirSync(guard);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
