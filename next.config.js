// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // PGlite ships a 15 MB WASM build; bundling it makes Turbopack copy it into the static folder.
  serverExternalPackages: ["@electric-sql/pglite"],
  // `next dev` treats 127.0.0.1 as cross-origin and the page never hydrates without this.
  allowedDevOrigins: ["127.0.0.1"],
  // `next dev` would print every server action's arguments (whole configurations and sample
  // payloads, megabytes). Each action logs one line of its own instead (lib/server/http/logged-action.ts).
  logging: { serverFunctions: false },
  experimental: {
    // The studio's preview and sample actions carry whole sample payloads (a 10k-reading sample
    // is about 3 MB); the default 1 MB would refuse them. Same ceiling as the API's body limit.
    serverActions: { bodySizeLimit: "50mb" },
    // A request the proxy sees (only /api paths with a percent escape, proxy.ts) has its body
    // buffered; past this it would reach the route cut short.
    proxyClientMaxBodySize: "50mb",
    // forbidden() and unauthorized(): a role without the permission gets 403, no session 401.
    authInterrupts: true,
  },
};

export default nextConfig;
