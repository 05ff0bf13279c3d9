import "server-only";
import { isNextControlFlow } from "./internal-error";

/** Where action lines go: the server's stdout, unless a test listens. */
export type ActionLog = (line: string) => void;

const toStdout: ActionLog = (line) => console.log(line);

/**
 * How an action ended, in words that never carry what the user sent: a failure's message can
 * quote a sample name or a JSON excerpt, so only its code (or the fields it names) is logged.
 */
function outcomeOf(result: unknown): string {
  if (typeof result !== "object" || result === null || !("ok" in result)) return "done";
  if (result.ok === true) return "ok";
  const failure = result as { code?: unknown; fieldErrors?: Record<string, unknown> };
  if (typeof failure.code === "string") return `refused ${failure.code}`;
  const fields = Object.keys(failure.fieldErrors ?? {});
  return fields.length > 0 ? `refused (${fields.slice(0, 5).join(", ")})` : "refused";
}

/**
 * How a throwing action ended: the auth door's forbidden() and unauthorized() (and a redirect)
 * are Next's control flow, not crashes, and say so with their status.
 */
function thrownOutcome(error: unknown): string {
  if (isNextControlFlow(error)) {
    const status = /^NEXT_HTTP_ERROR_FALLBACK;(\d+)$/.exec((error as { digest: string }).digest);
    return status ? `refused ${status[1]}` : "redirected";
  }
  return `threw ${error instanceof Error ? error.name : typeof error}`;
}

/**
 * Wraps a server action so that every call leaves one line in the server log: its name, its
 * duration and its outcome. Never its arguments: they hold whole configurations and payloads
 * (megabytes), which is why Next's own per-call logging is off in next.config.js.
 *
 * `name` is given, not taken from the function, because the production build renames functions.
 */
export function loggedAction<Args extends unknown[], Result>(
  name: string,
  action: (...args: Args) => Promise<Result>,
  log: ActionLog = toStdout,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const started = performance.now();
    const took = () => `${Math.round(performance.now() - started)} ms`;
    try {
      const result = await action(...args);
      log(`[mms] action ${name} ${took()} ${outcomeOf(result)}`);
      return result;
    } catch (error) {
      log(`[mms] action ${name} ${took()} ${thrownOutcome(error)}`);
      throw error;
    }
  };
}
