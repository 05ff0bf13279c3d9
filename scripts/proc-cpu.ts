import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ is 100 on Linux: a tick is 10 ms. */
const TICK_MS = 10;

/** A /proc stat line's process name and the fields after it (`fields[0]` is the state). */
function statOf(path: string): { name: string; fields: string[] } {
  const stat = readFileSync(path, "utf8");
  const close = stat.lastIndexOf(")");
  return {
    name: stat.slice(stat.indexOf("(") + 1, close),
    fields: stat.slice(close + 2).split(" "),
  };
}

const cpuOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) * TICK_MS;

/**
 * CPU time (user + system, ms) of one /proc stat file: a process (`/proc/self/stat`, all its
 * threads) or one thread (`/proc/self/task/<tid>/stat`). 0 where it cannot be read (not Linux).
 */
export function statCpuMs(path: string): number {
  try {
    return cpuOf(statOf(path).fields);
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system, ms, all threads) of the processes `which` accepts by name and process
 * group, from /proc (Linux; 0 elsewhere): where an import's time goes. On the 2-core machines
 * here, server and database together kept about 1.5 cores busy for the whole import, so only
 * less CPU makes it faster, whichever side saves it.
 */
export function cpuMs(which: (name: string, group: number) => boolean): number {
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  let ms = 0;
  for (const pid of pids) {
    try {
      const { name, fields } = statOf(`/proc/${pid}/stat`);
      if (which(name, Number(fields[2]))) ms += cpuOf(fields);
    } catch {
      // It ended meanwhile.
    }
  }
  return ms;
}
