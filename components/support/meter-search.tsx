"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { searchMetersAction } from "@/app/meters/actions";

type Match = { id: string; attributes: Record<string, unknown>; matched: string; via: string };

function meterName(attributes: Record<string, unknown>) {
  const strings = Object.entries(attributes).filter(([, v]) => typeof v === "string");
  const first = strings.find(([k]) => /(number|_id|code|name)$/i.test(k)) ?? strings[0];
  return first ? String(first[1]) : "meter";
}

/**
 * Finds a meter by any unique attribute value (its own, or one of its counters'): one match opens
 * the meter page, several are listed, none says so.
 */
export function MeterSearch() {
  const router = useRouter();
  const [value, setValue] = useState("");
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ matches: Match[] } | { message: string } | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const typed = value.trim();
    if (!typed) return;
    start(async () => {
      const found = await searchMetersAction({ value: typed });
      if (!found.ok) return setResult({ message: found.message });
      if (found.data.length === 1) {
        setResult(null);
        router.push(`/meters/${(found.data[0] as Match).id}`);
        return;
      }
      setResult(
        found.data.length === 0
          ? { message: `No meter has the value “${typed}”` }
          : { matches: found.data },
      );
    });
  }

  return (
    <search className="relative min-w-0">
      <form onSubmit={submit} className="flex items-center">
        <label htmlFor="meter-search" className="sr-only">
          Find a meter
        </label>
        <input
          id="meter-search"
          type="search"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setResult(null);
          }}
          placeholder="Find meter…"
          aria-busy={pending}
          className="h-8 w-28 rounded-md border border-line bg-white px-2.5 text-sm outline-none placeholder:text-stone-400 focus:border-accent focus:ring-2 focus:ring-accent/20 sm:w-36"
        />
      </form>
      {result ? (
        <div
          role={"message" in result ? "status" : undefined}
          className="absolute right-0 z-30 mt-1 w-72 rounded-lg border border-line bg-panel p-2 text-sm shadow-lg"
        >
          {"message" in result ? (
            <p className="px-1 py-0.5 text-muted">{result.message}</p>
          ) : (
            <ul aria-label="Matching meters" className="divide-y divide-line">
              {result.matches.map((m) => (
                <li key={m.id}>
                  <Link
                    href={`/meters/${m.id}`}
                    onClick={() => setResult(null)}
                    className="block rounded px-1 py-1.5 hover:bg-stone-50"
                  >
                    <span className="font-medium">{meterName(m.attributes)}</span>
                    <span className="ml-2 text-xs text-muted">
                      {m.via === "meter_counter" ? "counter " : ""}
                      {m.matched}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </search>
  );
}
