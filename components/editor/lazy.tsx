"use client";

import dynamic from "next/dynamic";

// Monaco needs `window`: every editor is rendered on the client only, from its own chunk.
function EditorLoading() {
  return (
    <div
      role="status"
      className="grid h-full min-h-24 place-items-center rounded-md border border-line bg-panel text-sm text-muted"
    >
      Loading editor…
    </div>
  );
}

export const JsonEditor = dynamic(() => import("./json-editor").then((m) => m.JsonEditor), {
  ssr: false,
  loading: EditorLoading,
});

export const XmlEditor = dynamic(() => import("./xml-editor").then((m) => m.XmlEditor), {
  ssr: false,
  loading: EditorLoading,
});

export const ConfigEditor = dynamic(() => import("./config-editor").then((m) => m.ConfigEditor), {
  ssr: false,
  loading: EditorLoading,
});

export const JsonDiffEditor = dynamic(
  () => import("./json-diff-editor").then((m) => m.JsonDiffEditor),
  { ssr: false, loading: EditorLoading },
);

export const ExpressionPanel = dynamic(
  () => import("./expression-panel").then((m) => m.ExpressionPanel),
  { ssr: false, loading: EditorLoading },
);
