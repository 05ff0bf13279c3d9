const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Canonical form of a plain decimal string: no leading zeros, no trailing fraction zeros, no -0. */
export function canonicalDecimal(text: string): string {
  let negative = text.startsWith("-");
  const body = negative || text.startsWith("+") ? text.slice(1) : text;
  const [intRaw = "0", fracRaw = ""] = body.split(".");
  const int = intRaw.replace(/^0+(?=\d)/, "");
  const frac = fracRaw.replace(/0+$/, "");
  if (/^0*$/.test(int) && frac === "") negative = false;
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Expands a finite number into plain decimal digits (no exponent), exactly as JS prints it. */
function numberToPlainDecimal(value: number): string {
  const text = String(value);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign, lead, rest = "", power] = exp;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A reading value as an exact decimal string: finite numbers, or strings holding a plain decimal
 * (`"12345.67"`, `"-3"`; no thousands separators, no decimal comma). Null when invalid.
 */
export function toDecimal(value: unknown): string | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    // JS prints finite numbers canonically (no leading or trailing zeros, -0 as "0") unless in exponent form.
    const text = String(value);
    return text.includes("e") ? canonicalDecimal(numberToPlainDecimal(value)) : text;
  }
  if (typeof value === "string" && PLAIN_DECIMAL.test(value))
    return isCanonical(value) ? value : canonicalDecimal(value);
  return null;
}

function isCanonical(text: string): boolean {
  const first = text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.charCodeAt(first) === 48 && text.length > first + 1 && text.charCodeAt(first + 1) !== 46)
    return false;
  if (text.includes(".") && text.endsWith("0")) return false;
  // "-0" and "-0.0" are zero, which is written without a sign.
  return first === 0 || /[1-9]/.test(text);
}

/** Equality of two decimal strings by value (`"12.50"` equals `"12.5"`). */
export function decimalEquals(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  // Two different canonical strings are different numbers; only non-canonical ones need work.
  if (isCanonical(a) && isCanonical(b)) return false;
  return canonicalDecimal(a) === canonicalDecimal(b);
}
