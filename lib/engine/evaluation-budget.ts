import { schedule } from "./cooperative";

/**
 * What one request may spend on JSONata, and how its evaluations share the thread with everyone
 * else. JSONata's `evaluate` is async but never yields, so one runaway expression used to hold the
 * event loop until its bound; here every evaluation gives the loop back every few milliseconds
 * (through jsonata's awaited entry callback) and all evaluations of a request draw on one time
 * budget, so a runaway field over 200 readings costs the budget once, not 200 bounds.
 */
export interface BudgetOptions {
  /** Evaluation time (not counting yields) all of a request's expressions may use together. */
  totalMs?: number;
  /** Longest stretch one evaluation runs before it yields to other work. */
  sliceMs?: number;
  /**
   * The shell's memory probe: true when the thread's heap is close to its limit. Checked at every
   * slice and whenever an expression produces a large value; the engine itself cannot see memory.
   */
  memoryPressure?: () => boolean;
}

export const REQUEST_BUDGET_MS = 10_000;
const SLICE_MS = 10;
/** Node entries between clock reads: an entry costs about a microsecond, a clock read 40 ns. */
const CHECK_EVERY = 16;

/** Longest string an expression may produce: JSONata's string functions work on code-point arrays, so one call on 1M characters already costs about 300 ms. */
export const MAX_STRING_LENGTH = 1_000_000;
/** A value this large makes the memory probe run at once instead of at the next slice. */
const LARGE_STRING = 256 * 1024;
const LARGE_ARRAY = 64 * 1024;

export type LimitKind = "time" | "budget" | "size" | "memory";

/** An evaluation stopped by a bound: reported like any evaluation error (MAPPING_ERROR, or a configuration error for extractions). */
export class EvaluationLimitError extends Error {
  override readonly name = "EvaluationLimitError";
  constructor(
    readonly kind: LimitKind,
    message: string,
  ) {
    super(message);
  }
}

const clock = () => performance.now();

/** One request's JSONata budget; create one per import, dry run, simulation or preview. */
export class EvaluationBudget {
  readonly totalMs: number;
  readonly sliceMs: number;
  readonly memoryPressure: (() => boolean) | undefined;
  spentMs = 0;

  constructor(options: BudgetOptions = {}) {
    this.totalMs = options.totalMs ?? REQUEST_BUDGET_MS;
    this.sliceMs = options.sliceMs ?? SLICE_MS;
    this.memoryPressure = options.memoryPressure;
  }

  get exhausted(): boolean {
    return this.spentMs > this.totalMs;
  }

  /** Starts one evaluation bounded by `limitMs` of its own time (and by what is left of the budget). */
  start(limitMs: number, maxSequence: number): EvaluationRun {
    if (this.exhausted) throw budgetSpent(this.totalMs);
    return new EvaluationRun(this, limitMs, maxSequence);
  }

  checkMemory(): void {
    if (this.memoryPressure?.()) {
      throw new EvaluationLimitError(
        "memory",
        "Expression stopped: it used too much memory (the server's heap is nearly full)",
      );
    }
  }
}

function budgetSpent(totalMs: number): EvaluationLimitError {
  return new EvaluationLimitError(
    "budget",
    `Expression stopped: this request's expressions ran longer than ${totalMs} ms in total`,
  );
}

/** The state of one evaluation, reached by jsonata's entry and exit callbacks. */
export class EvaluationRun {
  private countdown = CHECK_EVERY;
  private last = clock();
  private sliceStart = this.last;
  private spentMs = 0;

  constructor(
    private readonly budget: EvaluationBudget,
    private readonly limitMs: number,
    private readonly maxSequence: number,
  ) {}

  /** Called as each expression node is entered: mostly a countdown; now and then a clock read, a bound check, and a yield. */
  enter(): undefined | Promise<void> {
    if (--this.countdown > 0) return undefined;
    this.countdown = CHECK_EVERY;
    const now = this.account();
    if (now - this.sliceStart < this.budget.sliceMs) return undefined;
    this.budget.checkMemory();
    return new Promise<void>((resolve) =>
      schedule(() => {
        // Time spent by others while we waited is not ours.
        this.last = this.sliceStart = clock();
        resolve();
      }),
    );
  }

  /** Called with each node's result: refuses values too large to work on safely. */
  exit(result: unknown): void {
    if (typeof result === "string") {
      if (result.length <= LARGE_STRING) return;
      if (result.length > MAX_STRING_LENGTH) {
        throw new EvaluationLimitError(
          "size",
          `Expression stopped: it built a string of ${result.length} characters (at most ${MAX_STRING_LENGTH} are allowed)`,
        );
      }
      this.budget.checkMemory();
    } else if (Array.isArray(result) && result.length > LARGE_ARRAY) {
      if (result.length > this.maxSequence) {
        throw new EvaluationLimitError(
          "size",
          `Expression stopped: it built a list of ${result.length} values (at most ${this.maxSequence} are allowed)`,
        );
      }
      this.budget.checkMemory();
    }
  }

  /** Adds the time since the last reading to this run and the budget; throws past either bound. */
  private account(): number {
    const now = clock();
    const elapsed = now - this.last;
    this.last = now;
    this.spentMs += elapsed;
    this.budget.spentMs += elapsed;
    if (this.spentMs > this.limitMs) {
      throw new EvaluationLimitError(
        "time",
        `Expression stopped: it ran longer than ${this.limitMs} ms (an endless loop?)`,
      );
    }
    if (this.budget.exhausted) throw budgetSpent(this.budget.totalMs);
    return now;
  }

  /** Called once the evaluation settles: its last stretch counts too. */
  finish(): void {
    const now = clock();
    this.spentMs += now - this.last;
    this.budget.spentMs += now - this.last;
    this.last = now;
  }
}
