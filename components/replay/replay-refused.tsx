import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { PageHeader } from "@/components/ui/page-header";
import { StatusMessage } from "@/components/ui/status-message";
import type { ReplayConfigChoice } from "@/lib/server/imports/replay-source";
import { ConfigSwitch } from "./config-switch";

/** A replay that cannot be planned: why, and the other configuration to try. */
export function ReplayRefused({
  id,
  choice,
  message,
}: {
  id: string;
  choice: ReplayConfigChoice;
  message: string;
}) {
  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Imports", href: "/imports" },
          { label: "Event or import", href: `/imports/${id}` },
          { label: "Replay" },
        ]}
      />
      <div className="mt-4 flex flex-col gap-5">
        <PageHeader title="Replay" />
        <ConfigSwitch id={id} choice={choice} />
        <StatusMessage tone="error">{message}</StatusMessage>
      </div>
    </main>
  );
}
