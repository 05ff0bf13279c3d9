import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReplayRefused } from "@/components/replay/replay-refused";
import { ReplayView } from "@/components/replay/replay-view";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import { AppError } from "@/lib/server/http/app-error";
import { planReplay } from "@/lib/server/imports/replay-service";
import type { ReplayConfigChoice } from "@/lib/server/imports/replay-source";
import { applyReplayAction, replayStoredEntityAction, replayStoredReadingAction } from "./actions";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Replay · Meter Mapping Studio" };

interface Props {
  params: Promise<{ id: string }>;
  /** `?config=draft` replays with the draft; the published version otherwise. */
  searchParams: Promise<{ config?: string | string[] }>;
}

/** A refusal in words; an invalid configuration names its first problems and where they are. */
function messageOf(error: AppError): string {
  const problems = Array.isArray(error.details.errors)
    ? (error.details.errors as { path?: string; message?: string }[])
    : [];
  if (problems.length === 0) return error.message;
  const first = problems.slice(0, 3).map((p) => `${p.message}${p.path ? ` (${p.path})` : ""}`);
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : "";
  return `${error.message}: ${first.join("; ")}${more}. Fix it in the studio, or replay with the other configuration.`;
}

/**
 * The dry run of a replay, on the server at every load (a refresh is a fresh dry run): what a
 * person may fix (no published version, an invalid draft, an ignored event) is shown as a page.
 */
async function load(id: string, choice: ReplayConfigChoice) {
  try {
    return { ok: true as const, preview: await planReplay(getDb(), id, choice) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND" && !error.details.use_case_slug)
      notFound();
    if (error instanceof AppError) return { ok: false as const, message: messageOf(error) };
    throw error;
  }
}

/** Replay an event's stored payload: the new plan, its difference from the original, apply. */
export default async function ReplayPage({ params, searchParams }: Props) {
  const user = await requirePageUser();
  const [{ id }, { config }] = await Promise.all([params, searchParams]);
  const choice: ReplayConfigChoice = config === "draft" ? "draft" : "published";
  const loaded = await load(id, choice);
  return loaded.ok ? (
    <ReplayView
      key={`${loaded.preview.fingerprint}-${choice}`}
      id={id}
      preview={loaded.preview}
      applyReplay={can(user.role, "author") ? applyReplayAction : undefined}
      storedReading={replayStoredReadingAction}
      storedEntity={replayStoredEntityAction}
    />
  ) : (
    <ReplayRefused id={id} choice={choice} message={loaded.message} />
  );
}
