import Link from "next/link";
import type { ReplayConfigChoice } from "@/lib/server/imports/replay-source";

/**
 * Which configuration the replay runs: a link per choice (`?config=`), so the dry run is the
 * server's and a link to the page keeps the choice.
 */
export function ConfigSwitch({
  id,
  choice,
  publishedLabel = "Published version",
}: {
  id: string;
  choice: ReplayConfigChoice;
  publishedLabel?: string;
}) {
  const options: { value: ReplayConfigChoice; label: string; href: string }[] = [
    { value: "published", label: publishedLabel, href: `/imports/${id}/replay` },
    { value: "draft", label: "Current draft", href: `/imports/${id}/replay?config=draft` },
  ];
  return (
    <nav aria-label="Configuration to replay with" className="flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted">Replay with</span>
      <ul className="inline-flex rounded-lg border border-line bg-stone-50 p-0.5">
        {options.map((o) => (
          <li key={o.value}>
            <Link
              href={o.href}
              aria-current={choice === o.value ? "page" : undefined}
              className={`inline-flex h-8 items-center rounded-md px-3 text-sm font-medium whitespace-nowrap ${
                choice === o.value
                  ? "bg-panel text-ink shadow-xs ring-1 ring-line"
                  : "text-muted hover:text-ink"
              }`}
            >
              {o.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
