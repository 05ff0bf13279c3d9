import "server-only";

/** Phase timings of one import, printed when MMS_TIMING=1 (benchmarks, support). */
export class Stopwatch {
  private readonly start = performance.now();
  private last = this.start;
  private readonly laps: string[] = [];

  lap(label: string) {
    const now = performance.now();
    this.laps.push(`${label} ${Math.round(now - this.last)}ms`);
    this.last = now;
  }

  total(): number {
    return Math.round(performance.now() - this.start);
  }

  report(what: string) {
    if (process.env.MMS_TIMING === "1")
      console.log(`[mms] ${what}: ${this.laps.join(", ")}; total ${this.total()}ms`);
  }
}
