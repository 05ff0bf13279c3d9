import "server-only";
import { getHeapStatistics } from "node:v8";
import { EvaluationBudget } from "../../engine";

/**
 * Past this share of the thread's heap limit, the expression that is running is stopped. A
 * 100k-reading import peaks at about 300 MB live; the limit is about 4 GB on these machines.
 * Stopping one expression early beats V8 ending the whole process when the heap runs out.
 */
const HEAP_SHARE = 0.75;

function heapNearlyFull(): boolean {
  const heap = getHeapStatistics();
  return heap.used_heap_size > HEAP_SHARE * heap.heap_size_limit;
}

/** A request's JSONata budget (time in total, memory), with the server's heap as the memory probe. */
export function requestBudget(): EvaluationBudget {
  return new EvaluationBudget({ memoryPressure: heapNearlyFull });
}
