"use client";

import { type ReactNode, type RefObject, useEffect, useId, useRef } from "react";

/**
 * Opens and closes a native modal `<dialog>` with `open` (focus trap, Escape and the top layer
 * come from the browser). On opening, an element marked `data-autofocus` gets the focus.
 */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The browser focuses the first focusable element (the close button); a form wants its
      // first input. React's autoFocus fires before showModal, so it is marked with a data attribute.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

/** The header bar of a panel-style dialog: title, an optional line under it, the close button. */
export function PanelHeader({
  titleId,
  title,
  subtitle,
  onClose,
  size = "lg",
}: {
  titleId: string;
  title: string;
  subtitle?: ReactNode;
  onClose: () => void;
  size?: "base" | "lg";
}) {
  return (
    <div className="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
      <div className="min-w-0">
        <h2
          id={titleId}
          className={`${size === "lg" ? "text-lg" : "text-base"} font-semibold tracking-tight`}
        >
          {title}
        </h2>
        {subtitle ? <div className="mt-1 text-sm text-muted">{subtitle}</div> : null}
      </div>
      <CloseButton onClick={onClose} className="-mr-2" />
    </div>
  );
}

/** The × in a dialog's corner. */
export function CloseButton({
  onClick,
  className = "",
}: {
  onClick: () => void;
  className?: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label="Close"
      className={`grid size-8 shrink-0 place-items-center rounded-md text-muted hover:bg-stone-100 hover:text-ink focus-visible:outline-2 focus-visible:outline-accent ${className}`}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4" fill="none">
        <path
          d="M4 4l8 8M12 4l-8 8"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
        />
      </svg>
    </button>
  );
}

export interface DialogProps {
  open: boolean;
  /** Called when the dialog closes: the close button, Escape, or the parent's `open={false}`. */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Wider content, such as a key to copy. */
  size?: "md" | "lg";
}

/**
 * A modal on the native `<dialog>` (focus trap, Escape and the top layer come from the browser).
 * The content only exists while open, so closing forgets forms and one-time secrets.
 */
export function Dialog({ open, onClose, title, description, children, size = "md" }: DialogProps) {
  const ref = useModalDialog(open);
  const titleId = useId();
  const descriptionId = useId();

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={`m-auto w-[calc(100vw-2rem)] rounded-xl border border-line bg-panel p-0 text-ink shadow-xl backdrop:bg-stone-900/40 ${
        size === "lg" ? "max-w-xl" : "max-w-md"
      }`}
    >
      {open ? (
        <div className="p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-semibold tracking-tight">
              {title}
            </h2>
            <CloseButton onClick={onClose} className="-mt-1 -mr-2" />
          </div>
          {description ? (
            <div id={descriptionId} className="mt-1.5 text-sm leading-relaxed text-muted">
              {description}
            </div>
          ) : null}
          <div className="mt-5">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}

/** The row of buttons at the bottom of a dialog; the primary action goes last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return (
    <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>
  );
}
