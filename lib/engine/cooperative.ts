type Scheduler = (fn: () => void) => void;

// Node has setImmediate; browsers get a macrotask through MessageChannel (setTimeout clamps to 4 ms).
function pickScheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") return (fn) => void g.setImmediate?.(fn);
  if (typeof MessageChannel === "function") {
    return (fn) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        fn();
      };
      channel.port2.postMessage(null);
    };
  }
  return (fn) => void setTimeout(fn, 0);
}

/** Runs `fn` in a later macrotask, after pending I/O and timers get their turn. */
export const schedule = pickScheduler();

/**
 * Splits long loops into slices: JSONata's evaluate is async but never yields, so a 100k-reading
 * plan would block timers and I/O for seconds without an explicit macrotask break.
 * Usage: `if (slicer.due()) await slicer.pause();` once per unit of work.
 */
export class Slicer {
  private sliceStart = performance.now();
  private count = 0;

  constructor(private readonly sliceMs: number) {}

  /** Cheap enough to call per reading: reads the clock once every 32 calls. */
  due(): boolean {
    if ((++this.count & 31) !== 0) return false;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await new Promise<void>((resolve) => schedule(resolve));
    this.sliceStart = performance.now();
  }
}
