import type { ReactNode } from "react";

/** A table's decision cell: the badge and the decision's position, its code under them. */
export function DecisionCell({
  badge,
  position,
  code,
}: {
  badge: ReactNode;
  position: string;
  code: string | undefined;
}) {
  return (
    <span className="flex min-w-0 flex-col items-start gap-0.5 leading-tight">
      <span className="flex items-center gap-1.5">
        {badge}
        <span className="font-mono text-[11.5px] text-muted">{position}</span>
      </span>
      {code ? (
        <span className="max-w-full truncate font-mono text-[11px] text-muted">{code}</span>
      ) : null}
    </span>
  );
}
