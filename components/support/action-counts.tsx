const ORDER = ["create", "update", "unchanged", "skip", "delete", "error"] as const;
const STYLE: Record<string, string> = {
  create: "text-green-800",
  update: "text-sky-800",
  unchanged: "text-stone-600",
  skip: "text-amber-800",
  delete: "text-rose-800",
  error: "text-red-700 font-semibold",
};

/** An import's counts per action, the non-zero ones, e.g. "2 create · 1 error". */
export function ActionCounts({ counts }: { counts: Record<string, number> | null }) {
  if (!counts) return null;
  const shown = ORDER.filter((a) => (counts[a] ?? 0) > 0);
  if (shown.length === 0) return <span className="text-muted">no readings</span>;
  return (
    <span className="flex flex-wrap gap-x-2 gap-y-0.5 font-mono text-[12px]">
      {shown.map((a) => (
        <span key={a} className={STYLE[a]}>
          {(counts[a] as number).toLocaleString("en-GB")} {a}
        </span>
      ))}
    </span>
  );
}
