/**
 * `promise`, or a rejection once `ms` have passed. For reading a fetch's body under a deadline:
 * Node's fetch can leave a body read pending forever, with nothing left to wake it, when the
 * request's AbortSignal fires while the body is being read (nodejs/node#56917). A script that
 * awaited such a read hung with no error. The timer here settles the wait either way.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what = "the answer"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not come within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
