import type { FullConfig } from "@playwright/test";
import { signInAccounts } from "./accounts";
import { buildApp, startServer } from "./e2e-server";

/** Builds the app and starts it on the port playwright.config.ts chose (E2E_PORT). */
export default async function globalSetup(_config: FullConfig) {
  if (process.env.E2E_BASE_URL) {
    console.log(`[e2e] using the running server at ${process.env.E2E_BASE_URL}`);
    return;
  }
  buildApp();
  const server = await startServer(Number(process.env.E2E_PORT), { accounts: true });
  process.env.E2E_SERVER_PID = String(server.pid);
  process.env.E2E_SERVER_DIR = server.dir;
  if (server.oneTimePasswords) {
    await signInAccounts(`http://localhost:${process.env.E2E_PORT}`, server.oneTimePasswords);
  }
  console.log(
    `[e2e] next start on port ${process.env.E2E_PORT} (pid ${server.pid}), data in ${server.dir}`,
  );
}
