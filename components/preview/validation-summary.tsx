import type { ConfigProblem, ValidationResult } from "@/lib/engine";

function ProblemList({ problems, tone }: { problems: ConfigProblem[]; tone: "error" | "warning" }) {
  return (
    <ul className="divide-y divide-line">
      {problems.map((p) => (
        <li
          key={`${p.path}-${p.code}-${p.message}`}
          data-testid="config-problem"
          data-code={p.code}
          className="px-4 py-2.5 text-sm"
        >
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span
              className={`text-xs font-semibold uppercase ${tone === "error" ? "text-red-700" : "text-amber-700"}`}
            >
              {tone}
            </span>
            <code className="font-mono text-xs text-muted">{p.path || "/"}</code>
          </div>
          <p className="mt-0.5 leading-relaxed">{p.message}</p>
        </li>
      ))}
    </ul>
  );
}

/** The configuration's problems, shown in place of a plan while the draft is invalid. */
export function ValidationSummary({ validation }: { validation: ValidationResult }) {
  return (
    <section
      aria-label="Configuration problems"
      data-testid="validation-summary"
      className="overflow-hidden rounded-lg border border-red-200 bg-panel"
    >
      <div className="border-b border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
        <p className="font-medium">
          The draft has {validation.errors.length}{" "}
          {validation.errors.length === 1 ? "error" : "errors"}: no plan until it is fixed.
        </p>
        <p className="mt-0.5 text-red-800">
          Each problem is also marked in the editor at its JSON path.
        </p>
      </div>
      <ProblemList problems={validation.errors} tone="error" />
      {validation.warnings.length > 0 ? (
        <ProblemList problems={validation.warnings} tone="warning" />
      ) : null}
    </section>
  );
}
