import type { DiffKind } from "@/lib/server/imports/replay-diff";
import { KIND_LABELS, KIND_STYLES } from "./diff-table";

/**
 * The difference's counts as chips; a chip filters the table by its kind (pressed again, it
 * clears the filter). Unchanged readings ("same") are counted but not listed.
 */
export function DiffKinds({
  counts,
  selected,
  onSelect,
}: {
  counts: Record<DiffKind, number>;
  selected: DiffKind | "all";
  onSelect: (kind: DiffKind | "all") => void;
}) {
  return (
    <ul aria-label="Differences by kind" className="flex flex-wrap items-center gap-1.5">
      {(Object.keys(KIND_LABELS) as DiffKind[]).map((kind) => {
        const n = counts[kind];
        const pressed = selected === kind;
        const listed = kind !== "same";
        return (
          <li key={kind}>
            <button
              type="button"
              data-testid={`diff-${kind}`}
              aria-pressed={listed ? pressed : undefined}
              disabled={!listed || n === 0}
              onClick={() => onSelect(pressed ? "all" : kind)}
              className={`inline-flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium tabular-nums disabled:cursor-default ${
                n === 0 ? "border-line bg-panel text-stone-400" : KIND_STYLES[kind]
              } ${pressed ? "ring-2 ring-accent ring-offset-1" : ""}`}
            >
              <span className="font-semibold">{n.toLocaleString("en-GB")}</span>{" "}
              {KIND_LABELS[kind].toLowerCase()}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
