import "server-only";

/**
 * Keeps a worker thread running past an exception nobody catches. On a thread that serves many
 * requests at once, such an exception comes from a callback of a library (a socket event or a
 * timer of the database driver), not from the request code, whose errors end as rejected
 * promises: ending the thread for it would fail every request on it. It is logged instead, and
 * the thread goes on with its requests.
 */
export function keepThreadAlive(name: string): void {
  process.on("uncaughtException", (error) => {
    console.error(`[mms] an uncaught exception in ${name} (it keeps running):`, error);
  });
}
