import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { findUserByEmail } from "../../../db/repository";
import { authFor } from "../../../lib/server/auth/auth";
import { userFromHeaders } from "../../../lib/server/auth/current-user";
import {
  createUser,
  deactivateUser,
  reactivateUser,
  resetUserPassword,
  setUserRole,
} from "../../../lib/server/auth/users-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const ORIGIN = "http://studio.test";

/** A client address of its own per request: the library's sign-in limit counts per address. */
let requests = 0;
const someAddress = () => {
  requests += 1;
  return `198.51.${Math.floor(requests / 250)}.${(requests % 250) + 1}`;
};

/** Posts to the auth handler as a browser on this site would; returns the response. */
async function post(client: DbClient, path: string, body: unknown, headers: HeadersInit = {}) {
  const auth = await authFor(client, false);
  return auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ORIGIN,
        "x-forwarded-for": someAddress(),
        ...headers,
      },
      body: JSON.stringify(body),
    }),
  );
}

/** The session cookie a successful sign-in set, as a Cookie header. */
function cookieOf(response: Response): string {
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  const session = cookies.find((c) => c?.startsWith("mms.session_token="));
  if (!session) throw new Error(`no session cookie in ${response.status}`);
  return session;
}

describe.each(await testDatabases())("accounts on %s", (kind) => {
  let client: DbClient;

  beforeAll(async () => {
    client = await openTestDb(kind);
  });
  afterAll(async () => {
    await client?.close();
  });

  it("signs a created user in with the one-time password, which must then be changed", async () => {
    const { user, oneTimePassword } = await createUser(client, {
      email: " Ops@Example.TEST ",
      role: "consultant",
    });
    expect(user.email).toBe("ops@example.test");
    const stored = await findUserByEmail(client.db, "ops@example.test");
    expect(stored?.mustChangePassword).toBe(true);

    const wrong = await post(client, "/sign-in/email", {
      email: "ops@example.test",
      password: "not-the-password",
    });
    expect(wrong.status).toBe(401);

    const signIn = await post(client, "/sign-in/email", {
      email: "ops@example.test",
      password: oneTimePassword,
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieOf(signIn);
    const me = await userFromHeaders(client, new Headers({ cookie }));
    expect(me).toMatchObject({ email: "ops@example.test", role: "consultant" });
    expect(me?.mustChangePassword).toBe(true);

    const changed = await post(
      client,
      "/change-password",
      { currentPassword: oneTimePassword, newPassword: "a much longer secret 42" },
      { cookie },
    );
    expect(changed.status).toBe(200);
    expect((await findUserByEmail(client.db, "ops@example.test"))?.mustChangePassword).toBe(false);
  });

  it("sets a Secure cookie where the browser came over https, and reads it back there", async () => {
    const { user, oneTimePassword } = await createUser(client, {
      email: "tls@example.test",
      role: "support",
    });
    const auth = await authFor(client, true);
    const response = await auth.handler(
      new Request("https://studio.test/api/auth/sign-in/email", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "https://studio.test",
          "x-forwarded-for": someAddress(),
        },
        body: JSON.stringify({ email: user.email, password: oneTimePassword }),
      }),
    );
    expect(response.status).toBe(200);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Secure-mms\.session_token=/);
    expect(setCookie).toMatch(/; Secure/i);
    const cookie = setCookie?.split(";")[0] ?? "";
    const overHttps = new Headers({ cookie, "x-forwarded-proto": "https" });
    expect(await userFromHeaders(client, overHttps)).toMatchObject({ email: user.email });
  });

  it("signs in under the address or host name the browser used, and refuses another site", async () => {
    const { user, oneTimePassword } = await createUser(client, {
      email: "lan@example.test",
      role: "support",
    });
    const auth = await authFor(client, false);
    // Next hands route handlers a URL on the server's bind name, whatever the browser reached.
    const signIn = (origin: string) =>
      auth.handler(
        new Request("http://localhost:3000/api/auth/sign-in/email", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            host: "192.0.2.7:3000",
            origin,
            "x-forwarded-for": someAddress(),
          },
          body: JSON.stringify({ email: user.email, password: oneTimePassword }),
        }),
      );
    expect((await signIn("https://evil.example")).status).toBe(403);
    expect((await signIn("http://192.0.2.7:3000")).status).toBe(200);
  });

  it("refuses a second account with the same email", async () => {
    await createUser(client, { email: "twice@example.test", role: "support" });
    await expect(
      createUser(client, { email: "TWICE@example.test", role: "admin" }),
    ).rejects.toThrow(/already exists/);
  });

  it("ends a deactivated user's open session at once and refuses their sign-in", async () => {
    const admin = await createUser(client, { email: "boss@example.test", role: "admin" });
    const { user, oneTimePassword } = await createUser(client, {
      email: "leaver@example.test",
      role: "support",
    });
    const cookie = cookieOf(
      await post(client, "/sign-in/email", { email: user.email, password: oneTimePassword }),
    );
    expect(await userFromHeaders(client, new Headers({ cookie }))).not.toBeNull();

    const result = await deactivateUser(client, admin.user.id, { userId: user.id });
    expect(result.sessionsEnded).toBe(1);
    expect(await userFromHeaders(client, new Headers({ cookie }))).toBeNull();
    const again = await post(client, "/sign-in/email", {
      email: user.email,
      password: oneTimePassword,
    });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ code: "ACCOUNT_DEACTIVATED" });

    await reactivateUser(client, { userId: user.id });
    const back = await post(client, "/sign-in/email", {
      email: user.email,
      password: oneTimePassword,
    });
    expect(back.status).toBe(200);
  });

  it("keeps at least one active admin", async () => {
    const only = await openTestDb(kind);
    try {
      const a = await createUser(only, { email: "a@example.test", role: "admin" });
      const b = await createUser(only, { email: "b@example.test", role: "admin" });
      await expect(
        setUserRole(only, { userId: a.user.id, role: "support" }),
      ).resolves.toMatchObject({
        to: "support",
      });
      await expect(setUserRole(only, { userId: b.user.id, role: "consultant" })).rejects.toThrow(
        /last active admin/,
      );
      await expect(deactivateUser(only, a.user.id, { userId: b.user.id })).rejects.toThrow(
        /last active admin/,
      );
      await expect(deactivateUser(only, b.user.id, { userId: b.user.id })).rejects.toThrow(
        /your own account/,
      );
    } finally {
      await only.close();
    }
  });

  it("issues a new one-time password that replaces the old one and ends sessions", async () => {
    const { user, oneTimePassword } = await createUser(client, {
      email: "forgetful@example.test",
      role: "support",
    });
    const cookie = cookieOf(
      await post(client, "/sign-in/email", { email: user.email, password: oneTimePassword }),
    );
    const reset = await resetUserPassword(client, { userId: user.id });
    expect(await userFromHeaders(client, new Headers({ cookie }))).toBeNull();
    const old = await post(client, "/sign-in/email", {
      email: user.email,
      password: oneTimePassword,
    });
    expect(old.status).toBe(401);
    const fresh = await post(client, "/sign-in/email", {
      email: user.email,
      password: reset.oneTimePassword,
    });
    expect(fresh.status).toBe(200);
  });

  it("limits sign-in attempts per client address", async () => {
    const statuses: number[] = [];
    const address = kind === "pglite" ? "203.0.113.9" : "203.0.113.10";
    for (let i = 0; i < 12; i++) {
      const response = await post(
        client,
        "/sign-in/email",
        { email: "nobody@example.test", password: "wrong password" },
        { "x-forwarded-for": address },
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
