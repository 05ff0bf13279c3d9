"use client";

import { type ReactNode, useId } from "react";
import { PanelHeader, useModalDialog } from "@/components/ui/dialog";

/**
 * A panel sliding in from the right, on the native modal `<dialog>` (focus trap, Escape and the
 * top layer from the browser). Full width on a phone.
 */
export function SideDrawer({
  open,
  onClose,
  title,
  subtitle,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const ref = useModalDialog(open);
  const titleId = useId();

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a backdrop click closes it; the keyboard has Escape
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      // A click on the backdrop lands on the dialog element itself; Escape is the browser's.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-dvh w-full max-w-xl border-l border-line bg-panel p-0 text-ink shadow-2xl backdrop:bg-stone-900/30"
    >
      {open ? (
        <div className="flex h-full flex-col">
          <PanelHeader
            titleId={titleId}
            title={title}
            subtitle={subtitle}
            onClose={onClose}
            size="base"
          />
          <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
