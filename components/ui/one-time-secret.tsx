"use client";

import { type ReactNode, useId } from "react";
import { CopyButton } from "./copy-button";

/**
 * A secret shown in clear this once (an API key, a one-time password), with a copy button and the
 * warning that goes with it.
 */
export function OneTimeSecret({
  value,
  label = "API key",
  note,
  copyLabel = "Copy key",
}: {
  value: string;
  label?: string;
  note?: ReactNode;
  copyLabel?: string;
}) {
  const id = useId();
  return (
    <div>
      <div
        role="note"
        className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm leading-relaxed text-amber-900"
      >
        {note ?? (
          <>
            <strong className="font-semibold">Copy this key now.</strong> It won&apos;t be shown
            again: only its hash is stored. If it is lost, create a new key and revoke this one.
          </>
        )}
      </div>
      <label htmlFor={id} className="mt-4 block text-sm font-medium">
        {label}
      </label>
      <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          data-testid="one-time-secret"
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-[13px] text-ink sm:text-sm focus:border-accent focus:outline-2 focus:outline-accent"
        />
        <CopyButton value={value} label={copyLabel} />
      </div>
    </div>
  );
}
