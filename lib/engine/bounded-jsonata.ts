import jsonata from "jsonata";
import { compileFastExpression, type FastGetter } from "./fast-expression";

/** Bounds for one evaluation; exceeding any is an error, never a hung process. */
export interface JsonataBounds {
  timeoutMs: number;
  maxDepth: number;
  maxSequence: number;
}

export const ITEM_BOUNDS: JsonataBounds = { timeoutMs: 250, maxDepth: 300, maxSequence: 1_000_000 };
export const EXTRACTION_BOUNDS: JsonataBounds = {
  timeoutMs: 10_000,
  maxDepth: 300,
  maxSequence: 10_000_000,
};

export interface JsonataSyntaxProblem {
  code: string;
  message: string;
  /** 0-based character range inside the expression string. */
  start: number;
  end: number;
}

export interface CompiledExpression {
  source: string;
  /** Evaluates with `$` = item and `$$` = the root payload. */
  evaluate(item: unknown, root: unknown): Promise<unknown>;
  /** A JS getter for simple shapes; it returns FALLBACK where only JSONata can answer exactly. */
  fast: FastGetter | null;
}

// jsonata binds `$$` to whatever input it evaluates; we evaluate fields on the item, so every `$$`
// node is renamed to this variable, bound to the real root payload.
const ROOT_VARIABLE = "__mms_root";

interface AstNode {
  type?: string;
  value?: unknown;
  [key: string]: unknown;
}

function renameRootReferences(node: unknown, seen: Set<unknown>): void {
  if (node === null || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  const ast = node as AstNode;
  if (ast.type === "variable" && ast.value === "$") ast.value = ROOT_VARIABLE;
  for (const key of Object.keys(ast)) {
    const child = ast[key];
    if (Array.isArray(child)) for (const c of child) renameRootReferences(c, seen);
    else if (child !== null && typeof child === "object") renameRootReferences(child, seen);
  }
}

interface JsonataError {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

/** Converts a jsonata parse error into a character range inside the expression. */
export function syntaxProblem(source: string, error: unknown): JsonataSyntaxProblem {
  const e = (error ?? {}) as JsonataError & { token?: unknown };
  const end = Math.min(
    Math.max(typeof e.position === "number" ? e.position : source.length, 0),
    source.length,
  );
  const token = e.token === undefined || e.token === "(end)" ? "" : String(e.token);
  let start = end - token.length;
  // The token is its value: a string literal's quotes and a variable's `$` are not counted in it.
  const last = source[end - 1];
  if (token && (last === "'" || last === '"') && end - 1 > start - 1)
    start = source.lastIndexOf(last, end - 2);
  if (token && source[start - 1] === "$") start -= 1;
  start = Math.max(0, Math.min(start, end - 1));
  return {
    code: e.code ?? "S0000",
    message: e.message ?? "Invalid JSONata expression",
    start,
    end: Math.max(end, start + (source.length > 0 ? 1 : 0)),
  };
}

/** Parses an expression without evaluating it: null when it is valid. */
export function checkJsonataSyntax(source: string): JsonataSyntaxProblem | null {
  try {
    jsonata(source);
    return null;
  } catch (error) {
    return syntaxProblem(source, error);
  }
}

/** Compiles once; throws the jsonata parse error when the source is invalid. */
export function compileExpression(source: string, bounds: JsonataBounds): CompiledExpression {
  const expression = jsonata(source, {
    timeout: bounds.timeoutMs,
    stack: bounds.maxDepth,
    sequence: bounds.maxSequence,
  } as Parameters<typeof jsonata>[1]);
  const fast = compileFastExpression(expression.ast());
  renameRootReferences(expression.ast(), new Set());
  return {
    source,
    evaluate: (item, root) => expression.evaluate(item, { [ROOT_VARIABLE]: root }),
    fast,
  };
}

/** A readable message for an evaluation failure (`$error`, timeouts, type errors). */
export function evaluationMessage(error: unknown): string {
  if (error instanceof RangeError) return "Expression recursed too deeply";
  const e = (error ?? {}) as JsonataError;
  if (e.code === "D3137" || e.code === "D3138") return e.message ?? "Expression raised an error";
  return e.message ? (e.code ? `${e.message} (${e.code})` : e.message) : String(error);
}
