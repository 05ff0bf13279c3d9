import { RE2JS } from "re2js";

/**
 * The regular expressions of JSONata (`/(a+)+b/` in `$match`, `$replace`, `$split`, `$contains`)
 * run on RE2 (re2js, plain JS, so the studio's browser runs it too): matching takes time linear in
 * the input, so no pattern can backtrack for seconds. A time bound cannot help there: a JS
 * `RegExp.exec` is one synchronous call that nothing interrupts. The price is RE2's syntax:
 * no lookaround and no backreferences, which validation reports where the pattern is written.
 *
 * jsonata constructs its `RegexEngine` with the literal's `RegExp` and calls `exec` after setting
 * `lastIndex`, as with a global JS regular expression; this class answers the same way.
 */
export class LinearRegExp {
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(literal: RegExp) {
    this.re = compileLinear(literal);
  }

  exec(input: string): RegExpExecArray | null {
    const matcher = this.re.matcher(input);
    if (this.lastIndex > input.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [matcher.group(0) ?? ""];
    for (let i = 1; i <= matcher.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
    const match = Object.assign(groups, { index: matcher.start(), input }) as RegExpExecArray;
    this.lastIndex = matcher.end();
    return match;
  }
}

function compileLinear(literal: RegExp): RE2JS {
  let flags = 0;
  if (literal.flags.includes("i")) flags |= RE2JS.CASE_INSENSITIVE;
  if (literal.flags.includes("m")) flags |= RE2JS.MULTILINE;
  return RE2JS.compile(RE2JS.translateRegExp(literal.source), flags);
}

/** Why a regular expression cannot run in linear time (lookaround, backreferences), or null. */
export function linearRegexProblem(literal: RegExp): string | null {
  try {
    compileLinear(literal);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `Regular expression /${literal.source}/ is not supported: ${reason} (expressions use linear-time matching: no lookahead, lookbehind or backreferences)`;
  }
}
