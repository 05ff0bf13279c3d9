import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { loadStudio } from "@/lib/server/studio-use-case-service";
import { Studio } from "./studio";

export const dynamic = "force-dynamic";

// The metadata and the page share one load per request.
const load = cache((integrationId: string, slug: string) =>
  loadStudio(getDb(), { integrationId, slug }),
);

interface Params {
  params: Promise<{ integrationId: string; slug: string }>;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { integrationId, slug } = await params;
  const studio = await load(integrationId, slug);
  return { title: studio ? `${studio.useCase.name} · Meter Mapping Studio` : "Use case not found" };
}

/** The use-case studio: the draft configuration, its samples, a live preview, versions, apply. */
export default async function UseCaseStudioPage({ params }: Params) {
  const { integrationId, slug } = await params;
  const studio = await load(integrationId, slug);
  if (!studio) notFound();
  return <Studio initial={studio} />;
}
