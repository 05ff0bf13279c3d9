import { ButtonLink } from "@/components/ui/button";

/** What a signed-in user sees on a page their role does not open (HTTP 403). */
export default function Forbidden() {
  return (
    <main className="mx-auto max-w-5xl px-4 pt-16 pb-20 sm:px-6">
      <p className="text-sm font-medium tracking-wide text-accent uppercase">No access</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight sm:text-3xl">
        Your role does not open this page
      </h1>
      <p className="mt-3 max-w-xl leading-relaxed text-muted">
        Admins manage API keys, integration variables, users and the audit trail. Ask an admin if
        you need it.
      </p>
      <div className="mt-6">
        <ButtonLink href="/" variant="primary">
          Go to the start page
        </ButtonLink>
      </div>
    </main>
  );
}
