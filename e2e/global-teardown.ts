import { stopServer } from "./e2e-server";

/** Stops the server global setup started (nothing when E2E_BASE_URL named a running one). */
export default async function globalTeardown() {
  const pid = Number(process.env.E2E_SERVER_PID);
  const dir = process.env.E2E_SERVER_DIR;
  if (!pid || !dir) return;
  await stopServer({ pid, dir });
}
