import { monaco } from "./monaco-setup";

interface SchemaBinding {
  uri: string;
  fileMatch: string[];
  schema: object;
}

// JSON diagnostics options are global in Monaco; every editor's schema lives in one list, each
// bound to its own model URI.
const bindings = new Map<string, SchemaBinding>();

function apply(): void {
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    comments: "error",
    trailingCommas: "error",
    // Never fetch a schema (no network but our origin); every schema is given inline.
    enableSchemaRequest: false,
    schemaRequest: "ignore",
    // Schemas drive hovers and completion. Whether a configuration is right is the engine's
    // validator's call (our markers); schema diagnostics would only repeat it in other words.
    schemaValidation: "ignore",
    schemas: [...bindings.values()],
  });
}

/** Binds a JSON Schema to one model; returns the unbinding. */
export function bindSchema(modelUri: string, schema: object): () => void {
  const uri = monaco.Uri.parse(modelUri).toString(true);
  bindings.set(modelUri, {
    uri: `inmemory://schemas/${encodeURIComponent(uri)}`,
    fileMatch: [uri],
    schema,
  });
  apply();
  return () => {
    if (bindings.get(modelUri)?.schema !== schema) return;
    bindings.delete(modelUri);
    apply();
  };
}

apply();
