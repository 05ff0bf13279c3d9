// Client-only: import this module only from components loaded with `next/dynamic({ ssr: false })`
// (see index.ts). Monaco touches `window` when it loads.
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import { registerJsonata, STUDIO_THEME } from "./jsonata-language";
import { registerQuickFixes } from "./quick-fix-provider";

// Every worker comes from our own origin: the bundler emits these files under /_next/static.
// Once getWorker exists Monaco asks it for every label, so it must never return undefined.
function createWorker(_workerId: string, label: string): Worker {
  if (label === "json") {
    return new Worker(new URL("monaco-editor/language/json/json.worker.js", import.meta.url), {
      type: "module",
      name: "json",
    });
  }
  return new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), {
    type: "module",
    name: label || "editor",
  });
}

const FLAG = Symbol.for("mms.monaco.configured");
const registry = globalThis as typeof globalThis & { [FLAG]?: true };

function configure(): void {
  if (registry[FLAG]) return;
  registry[FLAG] = true;
  globalThis.MonacoEnvironment = { getWorker: createWorker };
  // @monaco-editor/react would fetch Monaco from a CDN; hand it the bundled instance instead.
  loader.config({ monaco });
  registerJsonata(monaco);
  monaco.editor.setTheme(STUDIO_THEME);
  registerQuickFixes(monaco);
}

configure();

export { monaco };
export type Monaco = typeof monaco;
