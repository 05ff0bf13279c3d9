"use client";

import { useEffect, useId, useRef } from "react";

/** The "Secret" checkbox of the variable dialogs, with what ticking it means. */
export function SecretCheckbox({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  // React resets a form after its action runs, and a checkbox then falls back to its default
  // (React only sets that once): keep the default in step, so a refused save keeps the tick.
  useEffect(() => {
    if (ref.current) ref.current.defaultChecked = checked;
  }, [checked]);
  return (
    <div className="flex items-start gap-2.5">
      <input
        ref={ref}
        id={id}
        type="checkbox"
        name="secret"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 rounded border-stone-300 accent-accent"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-ink">
          Secret
        </label>
        <p id={`${id}-hint`} className="text-xs leading-relaxed text-muted">
          Imports use the value, but it is never shown again once saved; it can only be replaced.
        </p>
      </div>
    </div>
  );
}
