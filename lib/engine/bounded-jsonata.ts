import jsonata from "jsonata";
import { decimalArithmetic, isArithmeticOperator } from "./decimal-arithmetic";
import { EvaluationBudget, type EvaluationRun } from "./evaluation-budget";
import { compileFastExpression, type FastGetter } from "./fast-expression";
import { GUARDED_FUNCTIONS, RUN_BINDING } from "./guarded-functions";
import { LinearRegExp, linearRegexProblem } from "./linear-regex";

/**
 * Bounds for one evaluation; exceeding any is an error, never a hung process. Every evaluation
 * also draws on its request's EvaluationBudget (time in total, memory) and yields while it runs.
 */
export interface JsonataBounds {
  timeoutMs: number;
  maxDepth: number;
  maxSequence: number;
}

export const ITEM_BOUNDS: JsonataBounds = { timeoutMs: 250, maxDepth: 300, maxSequence: 1_000_000 };
export const EXTRACTION_BOUNDS: JsonataBounds = {
  timeoutMs: 5_000,
  maxDepth: 300,
  maxSequence: 1_000_000,
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
  /**
   * Evaluates with `$` = item and `$$` = the root payload, drawing on the request's budget (a
   * fresh one when none is given: a lone evaluation, such as the studio's expression panel).
   */
  evaluate(item: unknown, root: unknown, budget?: EvaluationBudget): Promise<unknown>;
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
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch (error) {
    return syntaxProblem(source, error);
  }
  return regexProblem(source, ast);
}

/** A regular expression literal RE2 cannot run (see linear-regex.ts), marked where it is written. */
function regexProblem(source: string, ast: unknown): JsonataSyntaxProblem | null {
  const pending = [ast];
  const seen = new Set<unknown>();
  while (pending.length > 0) {
    const node = pending.pop() as AstNode | null;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node.type === "regex" && node.value instanceof RegExp) {
      const message = linearRegexProblem(node.value);
      if (message) {
        const end = Math.min(
          typeof node.position === "number" ? node.position : source.length,
          source.length,
        );
        const start = Math.max(0, source.lastIndexOf("/", source.lastIndexOf("/", end - 1) - 1));
        return { code: "S0302", message, start, end: Math.max(end, start + 1) };
      }
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === "object") pending.push(child as AstNode);
    }
  }
  return null;
}

/** Compiles once; throws the jsonata parse error when the source is invalid. */
export function compileExpression(source: string, bounds: JsonataBounds): CompiledExpression {
  const expression = jsonata(source, {
    stack: bounds.maxDepth,
    sequence: bounds.maxSequence,
    RegexEngine: LinearRegExp,
  } as unknown as Parameters<typeof jsonata>[1]);
  const fast = compileFastExpression(expression.ast());
  renameRootReferences(expression.ast(), new Set());
  decimalOperators(expression.ast());
  expression.registerFunction(ARITHMETIC_FUNCTION, arithmetic as never);
  // jsonata awaits these on every node: the run of the evaluation (bound per evaluation, found
  // through its base frame) counts, bounds and yields there.
  expression.assign(ENTRY_CALLBACK as unknown as string, (_: unknown, __: unknown, env: Frame) =>
    runIn(env).enter(),
  );
  expression.assign(
    EXIT_CALLBACK as unknown as string,
    (_: unknown, __: unknown, env: Frame, result: unknown) => runIn(env).exit(result),
  );
  for (const [name, implementation, signature] of GUARDED_FUNCTIONS)
    expression.registerFunction(name, implementation as never, signature);
  return {
    source,
    evaluate: async (item, root, budget = new EvaluationBudget()) => {
      const run = budget.start(bounds.timeoutMs, bounds.maxSequence);
      try {
        return await expression.evaluate(item, { [ROOT_VARIABLE]: root, [RUN_BINDING]: run });
      } finally {
        run.finish();
      }
    },
    fast,
  };
}

// Arithmetic operators become calls of this function (decimal-arithmetic.ts says why); the name
// holds a character no JSONata variable can spell, so no expression can call it itself.
const ARITHMETIC_FUNCTION = "mms:arithmetic";

/** Rewrites `a - b` (and +, *, /, %) into `mms:arithmetic(a, b, "-")`, where it stands. */
function decimalOperators(ast: unknown): void {
  const pending = [ast];
  const seen = new Set<unknown>();
  while (pending.length > 0) {
    const node = pending.pop() as AstNode | null;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node.type === "binary" && isArithmeticOperator(node.value)) {
      const { lhs, rhs, value: op } = node;
      delete node.lhs;
      delete node.rhs;
      node.type = "function";
      node.value = "(";
      node.procedure = { type: "variable", value: ARITHMETIC_FUNCTION, position: node.position };
      node.arguments = [lhs, rhs, { type: "string", value: op, position: node.position }];
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === "object") pending.push(child);
    }
  }
}

/** jsonata's own operand checks and errors, then the decimal answer. */
function arithmetic(lhs: unknown, rhs: unknown, op: string): number | undefined {
  const numeric = (v: unknown) => {
    if (typeof v !== "number" || Number.isNaN(v)) return false;
    if (!Number.isFinite(v)) throw { code: "D1001", value: v };
    return true;
  };
  if (lhs !== undefined && !numeric(lhs)) throw { code: "T2001", value: lhs, token: op };
  if (rhs !== undefined && !numeric(rhs)) throw { code: "T2002", value: rhs, token: op };
  if (lhs === undefined || rhs === undefined || !isArithmeticOperator(op)) return undefined;
  return decimalArithmetic(op, lhs as number, rhs as number);
}

const ENTRY_CALLBACK = Symbol.for("jsonata.__evaluate_entry");
const EXIT_CALLBACK = Symbol.for("jsonata.__evaluate_exit");

interface Frame {
  base: { lookup(name: string): unknown };
}

function runIn(env: Frame): EvaluationRun {
  return env.base.lookup(RUN_BINDING) as EvaluationRun;
}

/** A readable message for an evaluation failure (`$error`, timeouts, type errors). */
export function evaluationMessage(error: unknown): string {
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message)
      ? "Expression recursed too deeply"
      : `Expression stopped: ${error.message}`;
  }
  const e = (error ?? {}) as JsonataError;
  if (e.code === "D3137" || e.code === "D3138") return e.message ?? "Expression raised an error";
  return e.message ? (e.code ? `${e.message} (${e.code})` : e.message) : String(error);
}
