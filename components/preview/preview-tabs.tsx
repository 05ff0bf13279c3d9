"use client";

export interface PreviewTab<T extends string> {
  id: T;
  label: string;
  n: number;
}

/**
 * The preview's tabs, each with its count; a tab with deletions or errors to look at shows its
 * count in amber or red. Panels are named `${idPrefix}-${id}-panel`.
 */
export function PreviewTabs<T extends string>({
  idPrefix,
  tabs,
  selected,
  onSelect,
}: {
  idPrefix: string;
  tabs: readonly PreviewTab<T>[];
  selected: T;
  onSelect: (id: T) => void;
}) {
  return (
    <div
      role="tablist"
      aria-label="Preview views"
      className="flex gap-1 overflow-x-auto border-b border-line"
    >
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${idPrefix}-${t.id}`}
          aria-selected={selected === t.id}
          aria-controls={`${idPrefix}-${t.id}-panel`}
          onClick={() => onSelect(t.id)}
          className={`-mb-px flex shrink-0 items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
            selected === t.id
              ? "border-accent text-ink"
              : "border-transparent text-muted hover:border-stone-300 hover:text-ink"
          }`}
        >
          {t.label}
          <span
            className={`rounded-full px-1.5 text-xs tabular-nums ${
              (t.id === "deletions" || t.id === "errors") && t.n > 0
                ? t.id === "errors"
                  ? "bg-red-100 text-red-800"
                  : "bg-amber-100 text-amber-900"
                : "bg-stone-100 text-muted"
            }`}
          >
            {t.n.toLocaleString("en-GB")}
          </span>
        </button>
      ))}
    </div>
  );
}
