"use client";

import { type ReactNode, useId } from "react";
import { PanelHeader, useModalDialog } from "@/components/ui/dialog";

/** A wide modal (native `<dialog>`) for the version history and its diff. */
export function WideDialog({
  open,
  onClose,
  title,
  description,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const ref = useModalDialog(open);
  const titleId = useId();

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[calc(100vw-1rem)] max-w-6xl rounded-xl border border-line bg-panel p-0 text-ink shadow-xl backdrop:bg-stone-900/40 sm:w-[calc(100vw-2rem)]"
    >
      {open ? (
        <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
          <PanelHeader
            titleId={titleId}
            title={title}
            subtitle={description}
            onClose={onClose}
            size="lg"
          />
          <div className="min-h-0 flex-1 overflow-y-auto p-5">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
