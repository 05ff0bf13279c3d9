import type { Action, PlanSummary } from "@/lib/engine/types";
import { ACTION_STYLES, ACTIONS } from "./action-badge";

/**
 * The plan's counts as chips; a chip filters the decisions by its action (pressed again, it
 * clears the filter). Prune deletions get a warning chip of their own.
 */
export function SummaryChips({
  summary,
  pruned,
  selected,
  onSelect,
  label,
}: {
  summary: PlanSummary;
  pruned: number;
  selected?: Action | "all";
  onSelect?: (action: Action | "all") => void;
  /** Shown before the chips, where another row of chips (entities) stands beside them. */
  label?: string;
}) {
  const chips = (
    <ul aria-label="Plan summary" className="flex flex-wrap items-center gap-1.5">
      {ACTIONS.map((action) => {
        const n = summary[action];
        const pressed = selected === action;
        const style = n === 0 ? "border-line bg-panel text-stone-400" : ACTION_STYLES[action];
        return (
          <li key={action}>
            <button
              type="button"
              data-testid={`summary-${action}`}
              aria-pressed={onSelect ? pressed : undefined}
              disabled={!onSelect}
              onClick={() => onSelect?.(pressed ? "all" : action)}
              className={`inline-flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium tabular-nums transition-shadow disabled:cursor-default ${style} ${
                pressed ? "ring-2 ring-accent ring-offset-1" : ""
              }`}
            >
              <span className="font-semibold">{n.toLocaleString("en-GB")}</span> {action}
            </button>
          </li>
        );
      })}
      {pruned > 0 ? (
        <li>
          <span
            data-testid="summary-pruned"
            className="inline-flex h-7 items-center gap-1 rounded-full border border-amber-300 bg-amber-100 px-2.5 text-xs font-semibold text-amber-900"
          >
            <span aria-hidden="true">⚠</span> {pruned.toLocaleString("en-GB")} pruned
          </span>
        </li>
      ) : null}
    </ul>
  );
  if (!label) return chips;
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1.5">
      <span className="w-16 shrink-0 text-xs font-medium text-muted">{label}</span>
      {chips}
    </div>
  );
}
