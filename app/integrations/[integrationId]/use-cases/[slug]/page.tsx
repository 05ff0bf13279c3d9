import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import { loadStudio } from "@/lib/server/studio/studio-use-case-service";
import { Studio } from "./studio";

export const dynamic = "force-dynamic";

// The metadata and the page share one load per request.
const load = cache((integrationId: string, slug: string, sampleId: string | undefined) =>
  loadStudio(getDb(), { integrationId, slug }, { sampleId }),
);

interface Params {
  params: Promise<{ integrationId: string; slug: string }>;
  /** `?sample=<id>`: the selected sample survives a reload and can be linked to. */
  searchParams: Promise<{ sample?: string | string[] }>;
}

async function args({ params, searchParams }: Params) {
  const [{ integrationId, slug }, { sample }] = await Promise.all([params, searchParams]);
  return [integrationId, slug, typeof sample === "string" ? sample : undefined] as const;
}

export async function generateMetadata(props: Params): Promise<Metadata> {
  await requirePageUser();
  const studio = await load(...(await args(props)));
  return { title: studio ? `${studio.useCase.name} · Meter Mapping Studio` : "Use case not found" };
}

/** The use-case studio: the draft configuration, its samples, a live preview, versions, apply. */
export default async function UseCaseStudioPage(props: Params) {
  const user = await requirePageUser();
  const studio = await load(...(await args(props)));
  if (!studio) notFound();
  return <Studio initial={studio} canAuthor={can(user.role, "author")} />;
}
