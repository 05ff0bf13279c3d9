import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loggedAction } from "../../../lib/server/http/logged-action";
import nextConfig from "../../../next.config.js";

const root = path.resolve(import.meta.dirname, "../../..");

/** Every "use server" module under app/, as repository-relative paths. */
function serverActionFiles(dir = path.join(root, "app")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverActionFiles(full);
    if (!/\.tsx?$/.test(entry.name)) return [];
    return /^\s*["']use server["']/.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}

describe("server action logging", () => {
  it("logs one line per call with the name, the duration and the outcome, never the arguments", async () => {
    const lines: string[] = [];
    const payload = { readings: [{ meterId: "SECRET-M001", value: 42 }] };
    const action = loggedAction(
      "studio.preview",
      async (input: { payloadText: string }) => ({
        ok: true as const,
        data: input.payloadText.length,
      }),
      (line) => lines.push(line),
    );
    await action({ payloadText: JSON.stringify(payload) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[mms\] action studio\.preview \d+ ms ok$/);
    expect(lines.join("\n")).not.toContain("SECRET-M001");
  });

  it("names a refusal by its code or its fields, never by a message that may quote the input", async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    await loggedAction(
      "studio.createSample",
      async () => ({
        ok: false as const,
        message: 'There is already a sample named "SECRET"',
        fieldErrors: { name: ["taken"] },
        code: "CONFLICT",
      }),
      log,
    )();
    await loggedAction(
      "integration.createUseCase",
      async () => ({ ok: false as const, message: "Bad SECRET", fieldErrors: { slug: ["bad"] } }),
      log,
    )();
    expect(lines).toEqual([
      expect.stringMatching(/^\[mms\] action studio\.createSample \d+ ms refused CONFLICT$/),
      expect.stringMatching(/^\[mms\] action integration\.createUseCase \d+ ms refused \(slug\)$/),
    ]);
  });

  it("logs a call that throws, and rethrows it", async () => {
    const lines: string[] = [];
    const failing = loggedAction(
      "studio.apply",
      async (_input: string) => {
        throw new TypeError("cannot read SECRET");
      },
      (line) => lines.push(line),
    );
    await expect(failing("SECRET payload")).rejects.toThrow(TypeError);
    expect(lines).toEqual([
      expect.stringMatching(/^\[mms\] action studio\.apply \d+ ms threw TypeError$/),
    ]);
  });

  it("wraps every exported server action of the app in the auth door, which logs it", () => {
    const files = serverActionFiles();
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const where = path.relative(root, file);
      expect(source, `${where} exports a plain async function`).not.toMatch(
        /export\s+(default\s+)?async\s+function/,
      );
      const exported = [...source.matchAll(/export\s+const\s+(\w+)\s*=\s*([\w.]+)/g)];
      expect(exported.length, `${where} exports no action`).toBeGreaterThan(0);
      for (const [, name, callee] of exported) {
        // authorizedAction checks the session and role, then runs the action in loggedAction.
        expect(callee, `${where}: ${name}`).toBe("authorizedAction");
      }
    }
  });

  it("turns Next's own server-function logging off (it prints every argument)", () => {
    expect(nextConfig.logging).toMatchObject({ serverFunctions: false });
  });
});
