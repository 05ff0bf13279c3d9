import { ButtonLink } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-5xl px-4 pt-16 pb-20 sm:px-6">
      <p className="text-sm font-medium tracking-wide text-accent uppercase">Not found</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight sm:text-3xl">
        This page doesn&apos;t exist
      </h1>
      <p className="mt-3 max-w-xl leading-relaxed text-muted">
        The integration or use case may have been removed, or the address has a typo.
      </p>
      <div className="mt-6">
        <ButtonLink href="/integrations" variant="primary">
          Go to integrations
        </ButtonLink>
      </div>
    </main>
  );
}
