import fc from "fast-check";
import { hostileString } from "./hostile-values";

export interface HostileExpression {
  name: string;
  expression: string;
  /** What it does to an unguarded server. */
  harm: string;
}

/**
 * Expressions a configuration can carry that end or stall a process without bounds that hold:
 * unbounded loops (JSONata runs tail calls as a loop, so a stack limit never fires), strings and
 * arrays past what V8 can allocate, regular expressions that backtrack for minutes (a time bound
 * checked between evaluation steps cannot interrupt one), and deep values that break whoever
 * serialises them. Each is placed where it runs once per reading (see `withHostileExpression`).
 */
export const HOSTILE_EXPRESSIONS: readonly HostileExpression[] = [
  {
    name: "runaway recursion",
    expression: "($f := function($x){ $f($x) }; $f(1))",
    harm: "a tail call JSONata runs as an endless loop",
  },
  {
    name: "deep recursion",
    expression: "($f := function($x){ 1 + $f($x + 1) }; $f(1))",
    harm: "a real call stack that grows until something stops it",
  },
  {
    name: "huge $pad",
    expression: '$length($pad("x", 120000000))',
    harm: "a 120M-character string: V8's fatal 'invalid size' error ends the process",
  },
  {
    name: "catastrophic regex",
    expression: '$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/)',
    harm: "exponential backtracking inside one RegExp call",
  },
  {
    name: "catastrophic regex on a long input",
    expression: '$contains($pad("", 50000, "a") & "!", /^(a|aa)+$/)',
    harm: "backtracking over a 50k-character input",
  },
  {
    name: "huge range",
    expression: "$count([1..100000000])",
    harm: "a 100M-element array",
  },
  {
    name: "string doubling",
    expression: '$length($reduce([1..40], function($acc){ $acc & $acc }, "x"))',
    harm: "a string that doubles 40 times",
  },
  {
    name: "product explosion",
    expression: "$count([1..3000].([1..3000]))",
    harm: "9M elements from two small ranges",
  },
  {
    name: "deep object",
    expression: '$reduce([1..100000], function($a){ { "a": $a } }, {})',
    harm: "a value nested 100k levels deep, for whoever serialises or compares it",
  },
  {
    name: "$eval of a runaway",
    expression: '$eval("($f := function($x){ $f($x) }; $f(1))")',
    harm: "an expression built at run time, outside the compiled one's bounds",
  },
  {
    name: "slow custom sort",
    expression: "$count($sort([1..300000], function($a, $b){ $a < $b }))",
    harm: "millions of calls into a JSONata comparator",
  },
];

/** A JSONata string literal of any text (JSON escapes are JSONata escapes too). */
export const stringLiteral = (s: string) => JSON.stringify(s);

const atom = fc.oneof(
  fc.constantFrom(
    "value",
    "id",
    "meterId",
    "timestamp",
    "counter",
    "unit",
    "$",
    "$$.batchId",
    "$$.readingDate",
    "$$.readings[0].id",
    "$$.readings",
    "readings",
    "nothing.here",
    "`odd key`",
  ),
  hostileString.map(stringLiteral),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom("true", "false", "null", "0.5", "1e300", "-0"),
);

const unaryFunctions = [
  "$string",
  "$number",
  "$uppercase",
  "$lowercase",
  "$trim",
  "$length",
  "$boolean",
  "$not",
  "$exists",
  "$keys",
  "$count",
  "$sum",
  "$abs",
  "$floor",
  "$type",
  "$base64encode",
  "$encodeUrlComponent",
  "$toMillis",
  "$fromMillis",
  "$reverse",
  "$distinct",
  "$sort",
  "$spread",
];

/**
 * Small, cheap expressions over a reading (paths, literals with hostile text, arithmetic, string
 * and type functions, conditions, small ranges, simple regexes): they exercise the evaluator's
 * error paths and odd results, never its bounds.
 */
export const cheapExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { arbitrary: atom, weight: 5 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...unaryFunctions), tie("expr"))
        .map(([f, x]) => `${f}(${x})`),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(
          tie("expr"),
          fc.constantFrom("+", "-", "*", "/", "%", "&", "=", "!=", "<", ">=", "and", "or", "in"),
          tie("expr"),
        )
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(tie("expr"), tie("expr"), tie("expr"))
        .map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(tie("expr"), fc.integer({ min: -5, max: 50 }), fc.integer({ min: 0, max: 50 }))
        .map(([x, from, n]) => `$substring(${x}, ${from}, ${n})`),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(tie("expr"), fc.integer({ min: -200, max: 200 }))
        .map(([x, n]) => `$pad($string(${x}), ${n}, "#")`),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(tie("expr"), fc.constantFrom("/a+/", "/^M\\d+$/i", "/[0-9]{2,}/", "/(x|y)*z/"))
        .map(([x, re]) => `$match($string(${x}), ${re})`),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 2000 }))
        .map(([a, b]) => `[${a}..${b}]`),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `{"k": ${a}, "v": [${b}]}`),
      weight: 1,
    },
    {
      arbitrary: tie("expr").map((x) => `($x := ${x}; $x & $x)`),
      weight: 1,
    },
    {
      arbitrary: tie("expr").map((x) => `$map($$.readings, function($r){ ${x} })`),
      weight: 1,
    },
    { arbitrary: tie("expr").map((x) => `${x}[0]`), weight: 1 },
  ),
})).expr;

/** Text that is not JSONata: unbalanced brackets, dangling operators, bad tokens. */
export const brokenExpression: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "((((",
    "$$$$",
    "/*",
    "function(",
    '"unterminated',
    "[1..",
    "$f(",
    "a.",
    "{",
    "}",
    "$match(x, /(/)",
    "readings[",
    "1 +",
    "? :",
    ":=",
    "$",
    "",
    " ",
    "\u0000",
  ),
  fc
    .array(
      fc.constantFrom("(", ")", "[", "]", "{", "}", "$", ".", "..", ",", ":=", "?", "~>", "'"),
      {
        minLength: 1,
        maxLength: 8,
      },
    )
    .map((tokens) => tokens.join("")),
  hostileString,
);

/** A cheap or a broken expression (the costly catalogue is run apart, once per entry). */
export const anyExpression: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: cheapExpression, weight: 3 },
  { arbitrary: brokenExpression, weight: 1 },
);
