import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { DbClient } from "../../../db/client";
import { findUserById, settingOrCreate, updateUserFields } from "../../../db/repository";
import { authAccounts, authSessions, authUsers, authVerifications } from "../../../db/schema";
import { env } from "../platform/env";

/** Sign-ins per client address and minute; the rest get 429 from the library. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;
export const MIN_PASSWORD_LENGTH = 12;

function buildAuth(client: DbClient, secret: string, secure: boolean) {
  return betterAuth({
    appName: "Meter Mapping Studio",
    basePath: "/api/auth",
    secret,
    telemetry: { enabled: false },
    // Without BETTER_AUTH_URL the origin is the request's own (the same-origin check we want for
    // a server reached under any name); the library warns about that on every start.
    logger: { level: "error" },
    // The library's own idea of the request's origin is the URL Next hands the route, which
    // names the server's bind address (localhost): a studio reached under its IP address or a
    // host name refused every sign-in with 403 "Invalid origin". Trust the origin the browser
    // itself reached, as the proxy's cross-site check reads it.
    trustedOrigins: (request) => [request ? requestOrigin(request) : null],
    database: drizzleAdapter(client.db, {
      provider: "pg",
      schema: {
        user: authUsers,
        session: authSessions,
        account: authAccounts,
        verification: authVerifications,
      },
    }),
    // Accounts are made by admins (users page, CLI, demo seed), never by signing up.
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
    },
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false, defaultValue: "support" },
        deactivatedAt: { type: "date", input: false, required: false },
        mustChangePassword: { type: "boolean", input: false, required: false, defaultValue: false },
      },
    },
    // No cookie cache: every request reads the session row, so a deactivation ends it at once.
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      // The library skips its origin check when NODE_ENV is "test": check in tests as in use.
      disableOriginCheck: false,
      cookiePrefix: "mms",
      // Secure cookies only where the browser reached us over https (directly or through a
      // proxy that says so); `next start` on http://localhost must still be able to sign in.
      useSecureCookies: secure,
      // Next sets x-forwarded-for to the socket's address when no proxy did, so the limit counts
      // per client address behind a proxy and without one.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            const user = await findUserById(client.db, session.userId);
            if (!user || user.deactivatedAt) {
              throw APIError.from("FORBIDDEN", {
                message: "This account is deactivated; ask an admin to reactivate it",
                code: "ACCOUNT_DEACTIVATED",
              });
            }
          },
        },
      },
    },
    hooks: {
      // A one-time password stops being one once its owner has chosen a new one.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/change-password") return;
        if (ctx.context.returned instanceof Error) return;
        const userId = ctx.context.session?.user.id;
        if (userId) await updateUserFields(client.db, userId, { mustChangePassword: false });
      }),
    },
  });
}

export type Auth = ReturnType<typeof buildAuth>;

interface AuthPair {
  secure: Auth;
  plain: Auth;
}

const instances = new WeakMap<DbClient, Promise<AuthPair>>();

/**
 * The Better Auth instance of a database: one for https requests (Secure cookies named
 * `__Secure-mms.*`) and one for plain http, sharing the secret, which comes from
 * BETTER_AUTH_SECRET or is generated once and kept in the database.
 */
export function authFor(client: DbClient, secure: boolean): Promise<Auth> {
  let pair = instances.get(client);
  if (!pair) {
    pair = loadSecret(client).then((secret) => ({
      secure: buildAuth(client, secret, true),
      plain: buildAuth(client, secret, false),
    }));
    pair.catch(() => instances.delete(client));
    instances.set(client, pair);
  }
  return pair.then((p) => (secure ? p.secure : p.plain));
}

async function loadSecret(client: DbClient): Promise<string> {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  return settingOrCreate(client.db, "auth.secret", () => randomBytes(32).toString("base64url"));
}

/** Whether the browser reached the server over https (a TLS proxy says so in x-forwarded-proto). */
/**
 * The origin a browser reached this server under: the Host it sent (or a proxy's
 * x-forwarded-host), over https when the request or the proxy says so. A cross-site page cannot
 * set either header, so a request carrying this Origin is a same-origin one.
 */
export function requestOrigin(request: Request): string | null {
  const host =
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  if (!host) return null;
  return `${isHttps(request.headers, request.url) ? "https" : "http"}://${host}`;
}

export function isHttps(headers: Headers, url?: string): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (forwarded) return forwarded === "https";
  return url?.startsWith("https:") ?? false;
}
