import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate, plural } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import { listIntegrationSummaries } from "@/lib/server/studio/studio-service";
import { NewIntegration } from "./new-integration";
import { RenameIntegration } from "./rename-integration";

export const metadata: Metadata = { title: "Integrations · Meter Mapping Studio" };

export default async function IntegrationsPage() {
  // The list lives in the database: render per request, never at build time.
  await connection();
  const user = await requirePageUser();
  // A new integration comes with its first API key: keys are the admins'.
  const mayCreate = can(user.role, "administer");
  const mayRename = can(user.role, "author");
  const integrations = await listIntegrationSummaries(getDb());

  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Integrations" }]} />
      <div className="mt-4">
        <PageHeader
          title="Integrations"
          description="Each integration is one ERP system sending meter readings, with its own API keys and use cases."
          actions={mayCreate ? <NewIntegration /> : null}
        />
      </div>

      <div className="mt-10">
        {integrations.length === 0 ? (
          <EmptyState
            title="No integrations yet"
            action={mayCreate ? <NewIntegration label="Create the first integration" /> : null}
          >
            Create one per ERP system; you get its API key right away, then add use cases and author
            their mapping configurations.
          </EmptyState>
        ) : (
          <Card>
            <ul aria-label="Integrations" className="divide-y divide-line">
              {integrations.map((integration) => (
                <li
                  key={integration.id}
                  data-testid="integration-row"
                  className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between"
                >
                  <div className="min-w-0">
                    <Link
                      href={`/integrations/${integration.id}`}
                      className="font-semibold break-words text-ink hover:text-accent hover:underline"
                    >
                      {integration.name}
                    </Link>
                    <p className="mt-1 text-sm text-muted">
                      Created {formatDate(integration.createdAt)}
                    </p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2 sm:shrink-0 sm:justify-end">
                    <Badge tone={integration.useCaseCount > 0 ? "accent" : "neutral"}>
                      {plural(integration.useCaseCount, "use case")}
                    </Badge>
                    <Badge tone={integration.activeKeyCount > 0 ? "success" : "warning"}>
                      {plural(integration.activeKeyCount, "active key")}
                    </Badge>
                    {mayRename ? (
                      <RenameIntegration integrationId={integration.id} name={integration.name} />
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </main>
  );
}
