import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DataDirInUseError,
  LOCK_FILE_NAME,
  lockDataDir,
} from "../../../lib/server/platform/data-dir-lock";

let dir = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mms-lock-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The state letter of /proc/<pid>/stat (R, S, Z, ...), undefined once the process is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A child process that runs until it is killed. */
async function startChild() {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
    stdio: "ignore",
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  return child;
}

describe("the PGlite folder lock", () => {
  it("refuses a folder whose lock names a live process", async () => {
    const child = await startChild();
    try {
      writeFileSync(join(dir, LOCK_FILE_NAME), `${child.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it.runIf(existsSync("/proc/self/stat"))(
    "takes over the lock of a process that was killed and not reaped yet (a zombie)",
    async () => {
      const child = await startChild();
      const pid = child.pid as number;
      writeFileSync(join(dir, LOCK_FILE_NAME), `${pid}\n`);
      // Everything from the kill to the takeover runs synchronously: Node reaps its children on
      // the event loop, so until this test yields the killed child stays a zombie, as a server
      // killed with SIGKILL does until its parent (npm, a shell, an init) gets round to it.
      child.kill("SIGKILL");
      for (let i = 0; i < 200 && procState(pid) !== "Z"; i++) sleepSync(10);
      expect(procState(pid)).toBe("Z");
      const lock = lockDataDir(dir);
      try {
        expect(readFileSync(lock.file, "utf8")).toBe(`${process.pid}\n`);
      } finally {
        lock.release();
      }
    },
  );
});
