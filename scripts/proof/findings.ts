/** One kind of harm the proof saw, with how to reproduce it; repeats of it are counted. */
export interface Finding {
  /** The part that saw it, e.g. "HTTP fuzz on PGlite". */
  part: string;
  /** e.g. "HTTP 500", "server crash", "engine threw". */
  kind: string;
  /** What happened, one line. */
  summary: string;
  /** The request or input that caused it (first one seen), enough to replay it. */
  reproducer: string;
  count: number;
}

/**
 * Every finding of a run, each distinct one printed when first seen (with its reproducer), so a
 * run that is stopped halfway still showed what it found.
 */
export class Findings {
  private readonly byKey = new Map<string, Finding>();

  constructor(private readonly print: (line: string) => void) {}

  /** Records one occurrence; `key` says which occurrences are the same finding. */
  add(key: string, finding: Omit<Finding, "count">): void {
    const seen = this.byKey.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    this.byKey.set(key, { ...finding, count: 1 });
    this.print(`  FOUND [${finding.part}] ${finding.kind}: ${finding.summary}`);
    this.print(`        reproducer: ${finding.reproducer}`);
  }

  all(): Finding[] {
    return [...this.byKey.values()];
  }
}
