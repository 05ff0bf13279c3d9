import type { ReactNode } from "react";

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="rounded-xl border border-dashed border-stone-300 bg-panel/60 px-6 py-10 text-center">
      <p className="font-medium text-ink">{title}</p>
      {children ? (
        <div className="mx-auto mt-1.5 max-w-md text-sm leading-relaxed text-muted">{children}</div>
      ) : null}
      {action ? <div className="mt-5 flex justify-center">{action}</div> : null}
    </div>
  );
}
