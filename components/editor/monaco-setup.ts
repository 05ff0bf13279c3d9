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

/**
 * `monaco.editor.createDiffEditor`, without a Monaco bug (microsoft/monaco-editor#4612, open
 * upstream as microsoft/vscode#284577). Every standalone code editor points Monaco's global
 * hover-delegate factory at its own instantiation service; a diff editor's two inner editors
 * point it at the diff editor's child service, which is disposed with the diff editor. The next
 * widget that wants a default hover delegate (the suggest widget's status bar, the find widget,
 * the code action menu) in any other editor then throws "InstantiationService has been disposed",
 * and since that delegate is a Lazy that keeps its error, it throws for the rest of the page's
 * life. A throwaway editor (detached, no model) points the factory back at the global service.
 */
export function createDiffEditor(
  element: HTMLElement,
  options: monaco.editor.IStandaloneDiffEditorConstructionOptions,
): monaco.editor.IStandaloneDiffEditor {
  const editor = monaco.editor.createDiffEditor(element, options);
  monaco.editor.create(document.createElement("div"), { model: null }).dispose();
  return editor;
}

export { monaco };
export type Monaco = typeof monaco;
