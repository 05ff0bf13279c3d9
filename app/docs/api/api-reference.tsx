"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/*
 * Scalar renders the OpenAPI document the server generates from its zod schemas. Everything it
 * needs is bundled and served by the app: the settings below turn off each thing that would reach
 * another server (its web fonts, telemetry, the AI agent, the MCP and proxy services), so the page
 * works on a network that reaches nothing but this server. Requests from "Test request" go
 * straight to this origin.
 */
const configuration = {
  url: "/api/v1/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  forceDarkModeState: "light",
  hideDarkModeToggle: true,
  showDeveloperTools: "never",
  showToolbar: "never",
  documentDownloadType: "json",
  // The document names no server: examples (curl and the rest) are for the one serving this page.
  baseServerURL: typeof window === "undefined" ? undefined : window.location.origin,
  customCss: `.scalar-app { --scalar-font: var(--font-sans); --scalar-font-code: var(--font-mono); }`,
} as const;

export function ApiReference() {
  return <ApiReferenceReact configuration={configuration} />;
}
