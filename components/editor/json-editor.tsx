"use client";

import { useEffect } from "react";
import { CodeEditor } from "./code-editor";
import { bindSchema } from "./json-schemas";
import type { JsonEditorProps } from "./types";

/** A Monaco JSON editor with its own model, an optional schema bound to it and our markers. */
export function JsonEditor({ schema, modelUri, ...props }: JsonEditorProps) {
  useEffect(() => (schema ? bindSchema(modelUri, schema) : undefined), [modelUri, schema]);
  return <CodeEditor {...props} modelUri={modelUri} language="json" />;
}
