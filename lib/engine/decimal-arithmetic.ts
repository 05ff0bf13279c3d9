/**
 * Arithmetic as a meter's numbers expect it. JSONata computes in binary floating point, so the
 * demo's `currentReading - previousReading` (3120.9 - 3098.1) gave 22.800000000000182, which was
 * stored and shown as such. Here `+`, `-` and `*` give the decimal answer when the operands are
 * short decimals (their difference has no more decimals than they do; a product no more than both
 * together), and every arithmetic result is kept to 15 significant digits (what a double holds
 * for sure). Values read from the payload are never touched: only what an operator computes.
 */
export const ARITHMETIC_OPERATORS = ["+", "-", "*", "/", "%"] as const;
export type ArithmeticOperator = (typeof ARITHMETIC_OPERATORS)[number];

const SIGNIFICANT_DIGITS = 15;

/** Decimals of a number as JS prints it; Infinity for exponent forms (too small or too large to matter). */
function decimals(n: number): number {
  const text = String(n);
  if (text.includes("e")) return Number.POSITIVE_INFINITY;
  const point = text.indexOf(".");
  return point < 0 ? 0 : text.length - point - 1;
}

function raw(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
  }
}

/** `a op b` for finite numbers; a non-finite result is returned as it is (the callers refuse it). */
export function decimalArithmetic(op: ArithmeticOperator, a: number, b: number): number {
  const result = raw(op, a, b);
  if (!Number.isFinite(result)) return result;
  // Most results print short already: no noise to take away (and 15 digits at most).
  if (String(result).length <= SIGNIFICANT_DIGITS) return result + 0;
  const places =
    op === "*"
      ? decimals(a) + decimals(b)
      : op === "+" || op === "-"
        ? Math.max(decimals(a), decimals(b))
        : Number.POSITIVE_INFINITY;
  // The float's error is far below the last decimal the exact answer can have: rounding there
  // gives the exact answer back.
  const exact = places <= 20 ? Number(result.toFixed(places)) : result;
  return Number(exact.toPrecision(SIGNIFICANT_DIGITS)) + 0;
}

export function isArithmeticOperator(op: unknown): op is ArithmeticOperator {
  return (ARITHMETIC_OPERATORS as readonly unknown[]).includes(op);
}
