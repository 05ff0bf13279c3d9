import "server-only";

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Phase timings of one import, printed when MMS_TIMING=1 (benchmarks, support). */
export class Stopwatch {
  private readonly start = performance.now();
  private last = this.start;
  /** The process's CPU time (ms) at the last lap: on a busy machine, steadier than the clock. */
  private lastCpu = cpuMs();
  private readonly laps: string[] = [];

  lap(label: string) {
    const now = performance.now();
    const cpu = cpuMs();
    this.laps.push(
      `${label} ${Math.round(now - this.last)}ms (cpu ${Math.round(cpu - this.lastCpu)})`,
    );
    this.last = now;
    this.lastCpu = cpu;
  }

  total(): number {
    return Math.round(performance.now() - this.start);
  }

  report(what: string) {
    if (process.env.MMS_TIMING === "1")
      console.log(`[mms] ${what}: ${this.laps.join(", ")}; total ${this.total()}ms`);
  }
}
