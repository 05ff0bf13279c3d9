import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { UndoView } from "@/components/replay/undo-view";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import { AppError } from "@/lib/server/http/app-error";
import { previewUndo } from "@/lib/server/imports/undo-service";
import { undoImportAction } from "./actions";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Undo import · Meter Mapping Studio" };

interface Props {
  params: Promise<{ id: string }>;
}

async function load(id: string) {
  try {
    return await previewUndo(getDb(), id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

/** Undo an import: what it removes and restores, or the readings that stop it; confirm runs it. */
export default async function UndoPage({ params }: Props) {
  const user = await requirePageUser();
  const { id } = await params;
  const preview = await load(id);
  // Keyed by the plan's state: after a refresh the view starts over.
  return (
    <UndoView
      key={`${preview.import.status}-${preview.plan?.conflicts.length}`}
      preview={preview}
      undoImport={can(user.role, "author") ? undoImportAction : undefined}
    />
  );
}
