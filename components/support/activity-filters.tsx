"use client";

import { parseAsString, useQueryStates } from "nuqs";
import { type FormEvent, useTransition } from "react";
import { Button } from "@/components/ui/button";

const keys = {
  integration: parseAsString,
  useCase: parseAsString,
  status: parseAsString,
  trigger: parseAsString,
  from: parseAsString,
  to: parseAsString,
  correlation: parseAsString,
  meter: parseAsString,
  code: parseAsString,
  cursor: parseAsString,
};

const control =
  "block h-9 w-full rounded-md border border-line bg-panel px-2.5 text-sm text-ink shadow-xs focus:outline-2 focus:outline-accent";

function Labelled({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-muted">
      {label}
      {children}
    </label>
  );
}

/**
 * The list's filters, kept in the URL (nuqs) so a filtered list can be shared as a link. They
 * apply together on "Filter" (or Enter); each change starts again at the newest page.
 */
export function ActivityFilters({
  integrations,
  useCases,
  statuses,
  triggers,
}: {
  integrations: { id: string; name: string }[];
  useCases: { id: string; label: string; integrationId: string }[];
  statuses: readonly string[];
  triggers: readonly string[];
}) {
  const [pending, start] = useTransition();
  const [q, setQ] = useQueryStates(keys, { shallow: false, startTransition: start });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "").trim() || null;
    void setQ({
      integration: value("integration"),
      useCase: value("useCase"),
      status: value("status"),
      trigger: value("trigger"),
      from: value("from"),
      to: value("to"),
      correlation: value("correlation"),
      meter: value("meter"),
      code: value("code"),
      cursor: null,
    });
  }

  const active = Object.entries(q).some(([k, v]) => k !== "cursor" && v);
  return (
    <form
      onSubmit={submit}
      aria-label="Filters"
      aria-busy={pending}
      // The URL is the state: a new URL (back button, a shared link) must show its own values.
      key={JSON.stringify(q)}
      className="grid grid-cols-2 gap-3 rounded-xl border border-line bg-panel p-4 shadow-xs sm:grid-cols-3 lg:grid-cols-5"
    >
      <Labelled label="Integration">
        <select name="integration" defaultValue={q.integration ?? ""} className={control}>
          <option value="">All</option>
          {integrations.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Use case">
        <select name="useCase" defaultValue={q.useCase ?? ""} className={control}>
          <option value="">All</option>
          {useCases.map((u) => (
            <option key={u.id} value={u.id}>
              {u.label}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Status">
        <select name="status" defaultValue={q.status ?? ""} className={control}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Trigger">
        <select name="trigger" defaultValue={q.trigger ?? ""} className={control}>
          <option value="">All</option>
          {triggers.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Error code">
        <input
          name="code"
          defaultValue={q.code ?? ""}
          placeholder="e.g. METER_NOT_FOUND"
          className={`${control} font-mono`}
        />
      </Labelled>
      <Labelled label="Meter (any unique id)">
        <input
          name="meter"
          defaultValue={q.meter ?? ""}
          placeholder="e.g. M001"
          className={control}
        />
      </Labelled>
      <Labelled label="Correlation id">
        <input
          name="correlation"
          defaultValue={q.correlation ?? ""}
          className={`${control} font-mono`}
        />
      </Labelled>
      <Labelled label="From (UTC)">
        <input type="datetime-local" name="from" defaultValue={q.from ?? ""} className={control} />
      </Labelled>
      <Labelled label="To (UTC)">
        <input type="datetime-local" name="to" defaultValue={q.to ?? ""} className={control} />
      </Labelled>
      <div className="col-span-2 flex items-end gap-2 sm:col-span-1">
        <Button type="submit" variant="primary" size="sm" disabled={pending}>
          {pending ? "Filtering…" : "Filter"}
        </Button>
        {active ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() =>
              void setQ(Object.fromEntries(Object.keys(keys).map((k) => [k, null])) as never)
            }
          >
            Clear
          </Button>
        ) : null}
      </div>
    </form>
  );
}
