/**
 * Next calls `register()` once when a server process starts (never during `next build`). On the
 * Node.js runtime it opens and migrates the database, seeds the demo into an empty one and takes
 * over SIGTERM/SIGINT to close the database cleanly (run with NEXT_MANUAL_SIG_HANDLE=1). The
 * import is dynamic so the Edge runtime never bundles the database code.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/server/platform/startup");
    await startServer();
  }
}
