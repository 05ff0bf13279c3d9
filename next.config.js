// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // PGlite ships a 15 MB WASM build; bundling it makes Turbopack copy it into the static folder.
  serverExternalPackages: ["@electric-sql/pglite"],
  // `next dev` treats 127.0.0.1 as cross-origin and the page never hydrates without this.
  allowedDevOrigins: ["127.0.0.1"],
};

export default nextConfig;
