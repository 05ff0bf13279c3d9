"use client";

import { CodeEditor } from "./code-editor";
import type { JsonEditorProps } from "./types";

/** A Monaco editor for an XML sample: XML highlighting, and our markers (the conversion's error). */
export function XmlEditor({ schema: _schema, ...props }: JsonEditorProps) {
  return <CodeEditor {...props} language="xml" />;
}
