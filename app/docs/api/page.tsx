import type { Metadata } from "next";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { LazyApiReference } from "./lazy-api-reference";

export const metadata: Metadata = { title: "API reference · Meter Mapping Studio" };

/** The ERP API's reference, read from the OpenAPI document the server serves. */
export default async function ApiReferencePage() {
  await requirePageUser();
  return (
    <main data-width="wide" className="mx-auto w-full max-w-[1760px] px-4 pt-5 pb-10 sm:px-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">API reference</h1>
        <a
          href="/api/v1/openapi.json"
          className="text-sm font-medium text-accent hover:text-teal-800 hover:underline"
        >
          OpenAPI document (JSON)
        </a>
      </div>
      <div
        data-testid="api-reference"
        className="mt-4 overflow-hidden rounded-xl border border-line bg-panel"
      >
        <LazyApiReference />
      </div>
    </main>
  );
}
