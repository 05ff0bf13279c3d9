import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate, formatDateTime } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import { AppError } from "@/lib/server/http/app-error";
import {
  listVariablesForStudio,
  type VariableView,
} from "@/lib/server/integrations/manage-integration-variables";
import {
  getIntegrationOverview,
  type IntegrationOverview,
} from "@/lib/server/studio/studio-service";
import { DeleteVariable } from "./delete-variable";
import { EditUseCase } from "./edit-use-case";
import { EditVariable } from "./edit-variable";
import { IntegrationTitle } from "./integration-title";
import { NewApiKey } from "./new-api-key";
import { NewUseCase } from "./new-use-case";
import { NewVariable } from "./new-variable";
import { RevokeApiKey } from "./revoke-api-key";

interface Props {
  params: Promise<{ integrationId: string }>;
}

async function loadOverview(integrationId: string): Promise<IntegrationOverview> {
  try {
    return await getIntegrationOverview(getDb(), integrationId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePageUser();
  const { integrationId } = await params;
  const { integration } = await loadOverview(integrationId);
  return { title: `${integration.name} · Meter Mapping Studio` };
}

export default async function IntegrationPage({ params }: Props) {
  const user = await requirePageUser();
  const mayAuthor = can(user.role, "author");
  const mayAdminister = can(user.role, "administer");
  const { integrationId } = await params;
  const { integration, useCases, apiKeys } = await loadOverview(integrationId);
  // Variables (and their keys) are the admins': nobody else loads them.
  const variables = mayAdminister ? await listVariablesForStudio(getDb(), integration.id) : [];

  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Integrations", href: "/integrations" },
          { label: integration.name },
        ]}
      />
      <div className="mt-4">
        <PageHeader
          description={
            <dl className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
              <div className="flex gap-1.5">
                <dt>Created</dt>
                <dd>{formatDate(integration.createdAt)}</dd>
              </div>
              {/* The id is what `mms` commands take; it wraps as a whole, never mid-id. */}
              <div className="flex flex-wrap items-center gap-x-1.5 gap-y-1">
                <dt>Integration id</dt>
                <dd className="flex items-center gap-2">
                  <code className="font-mono text-xs whitespace-nowrap text-ink">
                    {integration.id}
                  </code>
                  <CopyButton value={integration.id} label="Copy id" size="sm" />
                </dd>
              </div>
            </dl>
          }
        >
          <IntegrationTitle
            integrationId={integration.id}
            name={integration.name}
            editable={mayAuthor}
          />
        </PageHeader>
      </div>

      <Section
        id="use-cases-heading"
        title="Use cases"
        description="Each use case is one kind of ERP event and the mapping configuration that imports it. Open one to author, preview and publish its configuration."
        action={
          mayAuthor && useCases.length > 0 ? <NewUseCase integrationId={integration.id} /> : null
        }
      >
        {useCases.length === 0 ? (
          <EmptyState
            title="No use cases yet"
            action={
              mayAuthor ? (
                <NewUseCase integrationId={integration.id} label="Create the first use case" />
              ) : null
            }
          >
            A use case names one kind of ERP event, such as changed meter readings, and holds the
            configuration that maps it.
          </EmptyState>
        ) : (
          <Card>
            <ul aria-label="Use cases" className="divide-y divide-line">
              {useCases.map((useCase) => (
                <UseCaseRow
                  key={useCase.id}
                  integrationId={integration.id}
                  useCase={useCase}
                  editable={mayAuthor}
                />
              ))}
            </ul>
          </Card>
        )}
      </Section>

      {mayAdminister ? (
        <>
          <Section
            id="variables-heading"
            title="Variables"
            description={
              <>
                Values a configuration reads with{" "}
                <code className="font-mono text-ink">env_var_ref</code> in this integration&apos;s
                imports, dry runs and simulations. A secret&apos;s value is never shown again once
                saved.
              </>
            }
            action={variables.length > 0 ? <NewVariable integrationId={integration.id} /> : null}
          >
            {variables.length === 0 ? (
              <EmptyState
                title="No variables yet"
                action={
                  <NewVariable integrationId={integration.id} label="Add the first variable" />
                }
              >
                Keep tenant ids, URLs or tokens here instead of writing them into configurations.
              </EmptyState>
            ) : (
              <Card>
                <ul aria-label="Variables" className="divide-y divide-line">
                  {variables.map((variable) => (
                    <VariableRow
                      key={variable.key}
                      integrationId={integration.id}
                      variable={variable}
                    />
                  ))}
                </ul>
              </Card>
            )}
          </Section>

          <Section
            id="api-keys-heading"
            title="API keys"
            description={
              <>
                The ERP sends a key as{" "}
                <code className="font-mono text-ink">Authorization: Bearer &lt;key&gt;</code>. Keys
                are stored hashed and shown once; to rotate, create a new key, switch the ERP, then
                revoke the old one.
              </>
            }
            action={<NewApiKey integrationId={integration.id} />}
          >
            {apiKeys.length === 0 ? (
              <EmptyState title="No API keys">
                Without a key this integration&apos;s ERP cannot send events. Create one above.
              </EmptyState>
            ) : (
              <Card>
                <ul aria-label="API keys" className="divide-y divide-line">
                  {apiKeys.map((key) => (
                    <ApiKeyRow key={key.id} integrationId={integration.id} apiKey={key} />
                  ))}
                </ul>
              </Card>
            )}
          </Section>
        </>
      ) : null}
    </main>
  );
}

type UseCaseSummary = IntegrationOverview["useCases"][number];

const importTone = { applied: "success", failed: "danger", undone: "neutral" } as const;

function UseCaseRow({
  integrationId,
  useCase,
  editable,
}: {
  integrationId: string;
  useCase: UseCaseSummary;
  editable: boolean;
}) {
  const href = `/integrations/${integrationId}/use-cases/${useCase.slug}`;
  return (
    <li
      data-testid="use-case-row"
      data-slug={useCase.slug}
      className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <Link
            href={href}
            className="font-semibold break-words text-ink hover:text-accent hover:underline"
          >
            {useCase.name}
          </Link>
          {useCase.latestVersion ? (
            <Badge tone="accent">Published v{useCase.latestVersion.version}</Badge>
          ) : (
            <Badge tone="warning">Draft only</Badge>
          )}
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm text-muted">
          <code className="font-mono text-[13px] break-all text-ink">{useCase.slug}</code>
          {useCase.eventName ? (
            <span className="min-w-0 break-all">
              Event <code className="font-mono text-[13px] text-ink">{useCase.eventName}</code>
            </span>
          ) : (
            <span>No event name</span>
          )}
          {useCase.lastImport ? (
            <span className="flex items-center gap-1.5">
              Last import
              <Badge tone={importTone[useCase.lastImport.status]}>
                {useCase.lastImport.status}
              </Badge>
              {formatDateTime(useCase.lastImport.startedAt)}
            </span>
          ) : (
            <span>No imports yet</span>
          )}
        </div>
      </div>
      <div className="flex items-center gap-2 sm:shrink-0">
        <ButtonLink href={href} size="sm" aria-label={`Open studio for ${useCase.slug}`}>
          Open studio
        </ButtonLink>
        {editable ? (
          <EditUseCase
            integrationId={integrationId}
            useCase={{ slug: useCase.slug, name: useCase.name, eventName: useCase.eventName }}
          />
        ) : null}
      </div>
    </li>
  );
}

type ApiKeySummary = IntegrationOverview["apiKeys"][number];

function ApiKeyRow({ integrationId, apiKey }: { integrationId: string; apiKey: ApiKeySummary }) {
  const revoked = apiKey.revokedAt !== null;
  return (
    <li
      data-testid="api-key-row"
      data-key-prefix={apiKey.keyPrefix}
      data-revoked={revoked ? "true" : "false"}
      className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <code className={`font-mono text-sm ${revoked ? "text-muted line-through" : "text-ink"}`}>
            {apiKey.keyPrefix}…
          </code>
          <span className={`text-sm ${apiKey.name ? "text-ink" : "text-muted italic"}`}>
            {apiKey.name ?? "unnamed"}
          </span>
        </div>
        <p className="mt-1 text-sm text-muted">
          Created {formatDateTime(apiKey.createdAt)}
          {apiKey.revokedAt ? ` · revoked ${formatDateTime(apiKey.revokedAt)}` : null}
        </p>
      </div>
      <div className="flex items-center gap-2 sm:shrink-0">
        {revoked ? (
          <Badge tone="neutral">Revoked</Badge>
        ) : (
          <>
            <Badge tone="success">Active</Badge>
            <RevokeApiKey
              integrationId={integrationId}
              keyId={apiKey.id}
              keyPrefix={apiKey.keyPrefix}
            />
          </>
        )}
      </div>
    </li>
  );
}

function VariableRow({
  integrationId,
  variable,
}: {
  integrationId: string;
  variable: VariableView;
}) {
  return (
    <li
      data-testid="variable-row"
      data-key={variable.key}
      className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <code className="font-mono text-sm font-semibold break-all text-ink">{variable.key}</code>
          {variable.secret ? <Badge tone="warning">Secret</Badge> : null}
        </div>
        <p className="mt-1 text-sm break-all text-muted">
          {variable.value === null ? (
            <span className="italic">hidden</span>
          ) : variable.value === "" ? (
            <span className="italic">empty</span>
          ) : (
            <code data-testid="variable-value" className="font-mono text-[13px] text-ink">
              {variable.value}
            </code>
          )}
          <span> · updated {formatDateTime(variable.updatedAt)}</span>
        </p>
      </div>
      <div className="flex items-center gap-2 sm:shrink-0">
        <EditVariable
          integrationId={integrationId}
          variable={{ key: variable.key, secret: variable.secret, value: variable.value }}
        />
        <DeleteVariable integrationId={integrationId} variableKey={variable.key} />
      </div>
    </li>
  );
}
