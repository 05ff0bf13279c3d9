import type { Action } from "@/lib/engine/types";

export const ACTIONS: readonly Action[] = [
  "create",
  "update",
  "unchanged",
  "skip",
  "delete",
  "error",
];

export const ACTION_STYLES: Record<Action, string> = {
  create: "border-green-200 bg-green-50 text-green-800",
  update: "border-sky-200 bg-sky-50 text-sky-800",
  unchanged: "border-stone-200 bg-stone-100 text-stone-600",
  skip: "border-amber-200 bg-amber-50 text-amber-800",
  delete: "border-rose-300 bg-rose-50 text-rose-800",
  error: "border-red-300 bg-red-100 text-red-800",
};

export function ActionBadge({ action }: { action: Action }) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-px text-xs font-medium ${ACTION_STYLES[action]}`}
    >
      {action}
    </span>
  );
}
