"use client";

import { parseAsString, useQueryStates } from "nuqs";
import { type FormEvent, useTransition } from "react";
import { Button } from "@/components/ui/button";

/** `restored` names the entity restored last; a new filter forgets it. */
const keys = {
  schema: parseAsString,
  q: parseAsString,
  cursor: parseAsString,
  restored: parseAsString,
};

const control =
  "block h-9 w-full rounded-md border border-line bg-panel px-2.5 text-sm text-ink shadow-xs focus:outline-2 focus:outline-accent";

/**
 * The deleted-entities list's filters, kept in the URL (nuqs) so a filtered list can be shared.
 * They apply together on "Filter" (or Enter); each change starts again at the newest page.
 */
export function DeletedFilters({ schemas }: { schemas: readonly string[] }) {
  const [pending, start] = useTransition();
  const [q, setQ] = useQueryStates(keys, { shallow: false, startTransition: start });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "").trim() || null;
    void setQ({ schema: value("schema"), q: value("q"), cursor: null, restored: null });
  }

  // A schema in the URL that has no deleted entity now still shows as chosen.
  const choices = q.schema && !schemas.includes(q.schema) ? [q.schema, ...schemas] : schemas;
  const active = Boolean(q.schema || q.q);
  return (
    <form
      onSubmit={submit}
      aria-label="Filters"
      aria-busy={pending}
      // The URL is the state: a new URL (back button, a shared link) must show its own values.
      key={JSON.stringify([q.schema, q.q])}
      className="grid grid-cols-1 gap-3 rounded-xl border border-line bg-panel p-4 shadow-xs sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto]"
    >
      <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-muted">
        Schema
        <select name="schema" defaultValue={q.schema ?? ""} className={control}>
          <option value="">All</option>
          {choices.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-muted">
        Key value or id
        <input
          name="q"
          defaultValue={q.q ?? ""}
          placeholder="e.g. M001 or ada@example.org"
          className={control}
        />
      </label>
      <div className="flex items-end gap-2">
        <Button type="submit" variant="primary" size="sm" disabled={pending}>
          {pending ? "Filtering…" : "Filter"}
        </Button>
        {active ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void setQ({ schema: null, q: null, cursor: null, restored: null })}
          >
            Clear
          </Button>
        ) : null}
      </div>
    </form>
  );
}
