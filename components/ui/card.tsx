import type { HTMLAttributes } from "react";

/** A white panel with the app's border; lists inside it divide their rows with `divide-line`. */
export function Card({ className = "", ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={`overflow-hidden rounded-xl border border-line bg-panel shadow-xs ${className}`}
      {...props}
    />
  );
}
