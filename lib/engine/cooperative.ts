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

let defaultSliceMs = 20;

/**
 * How long a payload's slices run between macrotask breaks unless its caller says (20 ms): long
 * enough that the breaks cost nothing, short enough that a server's event loop stays responsive.
 * A thread whose event loop serves only the import's own connection sets it shorter, so the
 * database's answers are taken up sooner while the plan goes on (import-thread-worker.ts).
 */
export function setDefaultSliceMs(ms: number): void {
  defaultSliceMs = ms;
}

export const defaultSlice = (): number => defaultSliceMs;

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
