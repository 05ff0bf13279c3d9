/**
 * Prints one generated case of the proof whole, to replay a finding:
 *   npx tsx scripts/proof/show-case.ts engine SEED GENERATED INDEX
 *   npx tsx scripts/proof/show-case.ts http SEED INDEX
 * An engine case prints its configuration, payload and state number (see engine-checks.ts
 * FUZZ_STATES); an HTTP case its method, path, headers and body, with <integration id> and
 * <api key> where a proof server's own ids went (the same seed gives the same case whatever
 * the ids: they are constants to the generators).
 */
import { caseSeed, engineCaseAt, sampleOne } from "./arbitraries/engine-cases";
import { httpCaseArb } from "./arbitraries/http-cases";

const [kind, ...numbers] = process.argv.slice(2);
const n = numbers.map(Number);

if (kind === "engine" && n.length === 3) {
  const [seed, generated, index] = n as [number, number, number];
  const c = engineCaseAt(seed, generated, index);
  console.log(`origin: ${c.origin}; through the planner: ${c.plan}; state: ${c.state}`);
  console.log(`configuration:\n${c.configText}`);
  console.log(`payload:\n${c.payloadText}`);
} else if (kind === "http" && n.length === 2) {
  const [seed, index] = n as [number, number];
  const c = sampleOne(
    httpCaseArb({
      integrationId: "<integration id>",
      apiKey: "<api key>",
      revokedKey: "<revoked key>",
      otherIntegrationId: "<other integration id>",
      otherKey: "<other key>",
      account: { email: "<email>", oneTimePassword: "<one-time password>" },
    }),
    caseSeed(seed, index),
  );
  console.log(`${c.method} ${c.path}`);
  for (const [k, v] of Object.entries(c.headers ?? {})) console.log(`${k}: ${v}`);
  console.log("");
  if (c.body !== undefined)
    process.stdout.write(typeof c.body === "string" ? c.body : Buffer.from(c.body));
  console.log("");
} else {
  console.error("usage: show-case.ts engine SEED GENERATED INDEX | http SEED INDEX");
  process.exit(2);
}
