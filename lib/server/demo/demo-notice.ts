import "server-only";
import type { DemoSeed } from "./demo-seed";
import type { FirstAdmin } from "./first-admin";

/** Terminals are 80 columns or more; the rules stay inside that. */
const RULE_WIDTH = 76;

/**
 * The one-time demo key as a framed block for the server's terminal. It is printed once, right
 * after Next's own start-up lines (the telemetry notice on a first start), where a plain line was
 * easy to miss; the frame and the blank lines around it make it stand out, and the link says where
 * the demo is. The frame is open on the right, so a long URL that wraps in a narrow terminal
 * breaks nothing.
 */
export function demoNotice(
  demo: DemoSeed | null,
  origin: string,
  admin: FirstAdmin | null = null,
): string {
  const body = [
    ...(demo
      ? [
          `Seeded the demo integration "${demo.integration.name}" into the empty database.`,
          "",
          "Its API key, shown this once (only its hash is stored):",
          "",
          `    ${demo.apiKey}`,
          "",
          "Open the demo integration and its use cases:",
          `    ${origin}/integrations/${demo.integration.id}`,
          "",
          "The ERP sends the key as  Authorization: Bearer <key>",
        ]
      : []),
    ...(admin
      ? [
          ...(demo ? [""] : []),
          "Sign in as the first admin, with a one-time password (shown this once;",
          "you choose your own right after):",
          "",
          `    ${admin.email}`,
          `    ${admin.oneTimePassword}`,
          "",
          `    ${origin}/sign-in`,
        ]
      : []),
  ];
  const title = "─ Demo data ";
  return [
    "",
    `┌${title}${"─".repeat(RULE_WIDTH - title.length)}`,
    ...body.map((line) => (line ? `│ ${line}` : "│")),
    `└${"─".repeat(RULE_WIDTH)}`,
    "",
  ].join("\n");
}
