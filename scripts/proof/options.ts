export const PART_NAMES = [
  "engine",
  "http",
  "auth",
  "concurrency",
  "runaway",
  "faults",
  "load",
] as const;
export type PartName = (typeof PART_NAMES)[number];

export interface ProofOptions {
  seed: number;
  parts: ReadonlySet<PartName>;
  postgresUrl: string;
  /** Generated in-process engine cases (the hostile catalogue comes on top). */
  engineCases: number;
  /** Generated HTTP cases per server (the hostile catalogue comes on top). */
  httpCases: number;
  loadSeconds: number;
  pgliteLoadSeconds: number;
  /** Where the figures go; null: not written (a partial or scaled-down run). */
  docPath: string | null;
}

const DEFAULT_SEED = 20261206;

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${raw}`);
  return n;
}

/**
 * The proof's settings, from the environment: PROOF_SEED (fixed by default, so runs repeat),
 * PROOF_PARTS (a comma list of PART_NAMES; default all), PROOF_SCALE (multiplies the case
 * counts; a scaled or partial run does not write docs/RELIABILITY.md unless PROOF_DOC names a
 * file to write instead), PROOF_POSTGRES_URL, PROOF_LOAD_SECONDS and PROOF_PGLITE_LOAD_SECONDS.
 */
export function proofOptions(docPath: string): ProofOptions {
  const scale = number("PROOF_SCALE", 1);
  const parts = process.env.PROOF_PARTS
    ? process.env.PROOF_PARTS.split(",").map((p) => p.trim())
    : [...PART_NAMES];
  for (const p of parts)
    if (!(PART_NAMES as readonly string[]).includes(p))
      throw new Error(`PROOF_PARTS: unknown part ${p} (parts: ${PART_NAMES.join(", ")})`);
  const complete = parts.length === PART_NAMES.length && scale === 1;
  return {
    seed: number("PROOF_SEED", DEFAULT_SEED),
    parts: new Set(parts as PartName[]),
    postgresUrl: process.env.PROOF_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres",
    engineCases: Math.round(4_400 * scale),
    httpCases: Math.round(2_900 * scale),
    loadSeconds: number("PROOF_LOAD_SECONDS", 30),
    pgliteLoadSeconds: number("PROOF_PGLITE_LOAD_SECONDS", 15),
    docPath: process.env.PROOF_DOC || (complete ? docPath : null),
  };
}
