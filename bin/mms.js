#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on the fly so `npx mms` needs no build step.
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

// Server modules start with `import "server-only"`, which throws unless resolved with the
// "react-server" condition (as Next does for server code). The operator commands run those
// modules in plain Node, so resolve that one package the way the server build does: to its
// empty module. Registered before tsx, so tsx's resolver hands bare specifiers on to this one.
const serverOnlyHook = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
`;
registerHooks(`data:text/javascript,${encodeURIComponent(serverOnlyHook)}`);
register();

const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
