"use client";

import Link from "next/link";
import { parseAsString, useQueryStates } from "nuqs";
import { type FormEvent, useMemo, useState, useTransition } from "react";
import { meterReadingsAction } from "@/app/meters/actions";
import { CellText, type Column, VirtualTable } from "@/components/preview/virtual-table";
import { Button } from "@/components/ui/button";
import type { MeterReadingRow } from "@/db/repository";
import type { Series } from "@/lib/server/support/meter-service";

type Row = MeterReadingRow & { flags: string[] };

const keys = {
  counter: parseAsString,
  source: parseAsString,
  from: parseAsString,
  to: parseAsString,
  import: parseAsString,
};
const control =
  "block h-9 w-full rounded-md border border-line bg-panel px-2.5 text-sm text-ink shadow-xs focus:outline-2 focus:outline-accent";

function columns(counterNames: Map<string, string>): Column<Row>[] {
  return [
    {
      key: "time",
      header: "Timestamp (UTC)",
      width: 224,
      cell: (r) => <CellText mono>{r.timestamp}</CellText>,
    },
    {
      key: "value",
      header: "Value",
      width: 110,
      align: "right",
      cell: (r) => <CellText mono>{r.value}</CellText>,
    },
    {
      key: "counter",
      header: "Counter",
      width: 130,
      cell: (r) => (
        <CellText>
          {r.counter_id ? (counterNames.get(r.counter_id) ?? r.counter_id.slice(0, 8)) : "—"}
          {r.direction ? ` · ${r.direction}` : ""}
        </CellText>
      ),
    },
    {
      key: "source",
      header: "Source",
      width: 90,
      cell: (r) => <CellText>{r.source ?? ""}</CellText>,
    },
    {
      key: "external",
      header: "External id",
      width: 150,
      grow: 1,
      cell: (r) => <CellText mono>{r.external_id ?? ""}</CellText>,
      title: (r) => r.external_id ?? undefined,
    },
    {
      key: "flags",
      header: "Flags",
      width: 130,
      cell: (r) => (
        <span className="truncate text-xs font-medium text-red-700">{r.flags.join(", ")}</span>
      ),
    },
    {
      key: "import",
      header: "Written by",
      width: 110,
      cell: (r) =>
        r.import_id ? (
          <Link
            href={`/imports/${r.import_id}`}
            onClick={(e) => e.stopPropagation()}
            className="font-mono text-xs text-accent hover:underline"
          >
            {r.import_id.slice(0, 8)}
          </Link>
        ) : null,
    },
  ];
}

/**
 * A meter's readings, newest first, filtered by counter, source and time range (in the URL),
 * virtualised, with older pages loaded on demand and each reading's plausibility flags.
 */
export function MeterReadings({
  meterId,
  first,
  next,
  series,
  counters,
}: {
  meterId: string;
  first: MeterReadingRow[];
  next: string | null;
  series: Series[];
  counters: { id: string; name: string }[];
}) {
  const [pending, start] = useTransition();
  const [q, setQ] = useQueryStates(keys, { shallow: false, startTransition: start, scroll: false });
  const [more, setMore] = useState<{ key: string; rows: MeterReadingRow[]; next: string | null }>({
    key: "",
    rows: [],
    next: null,
  });
  const [error, setError] = useState<string | null>(null);
  const firstKey = `${first[0]?.id ?? ""}|${JSON.stringify(q)}`;
  const loaded = more.key === firstKey ? more : { key: firstKey, rows: [], next };
  const flagsAt = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const s of series)
      for (const f of s.flags) {
        const k = `${s.counterId ?? ""}|${s.direction ?? ""}|${f.t}`;
        map.set(k, [...(map.get(k) ?? []), f.kind]);
      }
    return map;
  }, [series]);
  const rows: Row[] = useMemo(
    () =>
      [...first, ...loaded.rows].map((r) => ({
        ...r,
        flags:
          flagsAt.get(`${r.counter_id ?? ""}|${r.direction ?? ""}|${Date.parse(r.timestamp)}`) ??
          [],
      })),
    [first, loaded.rows, flagsAt],
  );
  const names = useMemo(() => new Map(counters.map((c) => [c.id, c.name])), [counters]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "").trim() || null;
    void setQ({
      counter: value("counter"),
      source: value("source"),
      from: value("from"),
      to: value("to"),
    });
  }

  function loadMore() {
    if (!loaded.next) return;
    start(async () => {
      const result = await meterReadingsAction({ meterId, query: q, cursor: loaded.next });
      if (!result.ok) return setError(result.message);
      setError(null);
      setMore({
        key: firstKey,
        rows: [...loaded.rows, ...result.data.rows],
        next: result.data.next,
      });
    });
  }

  return (
    <div>
      <form
        onSubmit={submit}
        key={JSON.stringify(q)}
        aria-label="Reading filters"
        className="mb-3 grid grid-cols-2 gap-3 sm:grid-cols-5"
      >
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Counter
          <select name="counter" defaultValue={q.counter ?? ""} className={control}>
            <option value="">All</option>
            <option value="none">No counter</option>
            {counters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Source
          <select name="source" defaultValue={q.source ?? ""} className={control}>
            <option value="">All</option>
            {["ERP", "ECP", "360", "journey-submission"].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          From (UTC)
          <input
            type="datetime-local"
            name="from"
            defaultValue={q.from ?? ""}
            className={control}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          To (UTC)
          <input type="datetime-local" name="to" defaultValue={q.to ?? ""} className={control} />
        </label>
        <div className="flex items-end">
          <Button type="submit" size="sm" disabled={pending}>
            {pending ? "Filtering…" : "Filter readings"}
          </Button>
        </div>
      </form>
      <VirtualTable
        rows={rows}
        columns={columns(names)}
        label="Readings"
        rowTestId="reading-row"
        rowKey={(r) => r.id}
        rowLabel={(r) => `Reading ${r.external_id ?? r.id} at ${r.timestamp}: ${r.value}`}
        height="30rem"
        empty="No readings match"
      />
      <div className="mt-2 flex items-center gap-3 text-sm text-muted">
        <span role="status">
          {rows.length.toLocaleString("en-GB")} readings shown
          {loaded.next ? ", more older ones" : ""}
        </span>
        {loaded.next ? (
          <Button size="sm" onClick={loadMore} disabled={pending}>
            Load older readings
          </Button>
        ) : null}
        {error ? (
          <span role="alert" className="text-red-700">
            {error}
          </span>
        ) : null}
      </div>
    </div>
  );
}
