import { type ComponentProps, useId } from "react";

export interface FieldProps extends ComponentProps<"input"> {
  label: string;
  /** Shown under the label; read out with the input. */
  hint?: string;
  /** Problems with the value, from the server action's `fieldErrors`. */
  errors?: readonly string[] | undefined;
  /** Adds "(optional)" to the label. */
  optional?: boolean;
  /** Extra classes for the input itself (`className` styles the wrapper). */
  inputClassName?: string;
}

const inputBase =
  "block w-full rounded-md border bg-panel px-3 py-2 text-sm text-ink shadow-xs placeholder:text-stone-400 focus:outline-2 focus:outline-offset-0 disabled:bg-stone-50";

/** A labelled text input with its hint and errors wired up through aria-describedby. */
export function Field({
  label,
  hint,
  errors,
  optional,
  id,
  className,
  inputClassName = "",
  ...props
}: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const invalid = Boolean(errors && errors.length > 0);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={className}>
      <label htmlFor={inputId} className="block text-sm font-medium text-ink">
        {label}
        {optional ? <span className="font-normal text-muted"> (optional)</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="mt-0.5 text-xs leading-relaxed text-muted">
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
        className={`${inputBase} mt-1.5 ${inputClassName} ${
          invalid
            ? "border-red-600 focus:outline-red-600"
            : "border-stone-300 focus:border-accent focus:outline-accent"
        }`}
        {...props}
      />
      {invalid ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-700">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
