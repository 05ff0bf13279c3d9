type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The configuration's JSON Schema prepared for Monaco's JSON language service: each
 * `description` (written in markdown, with backquoted names) also becomes `markdownDescription`,
 * so hovers and completion details render code as code. The input is not changed.
 */
export function editorSchema(schema: unknown): Json {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    const out: Json = {};
    for (const [key, child] of Object.entries(value)) out[key] = walk(child);
    if (typeof value.description === "string" && !("markdownDescription" in value))
      out.markdownDescription = value.description;
    return out;
  };
  const prepared = walk(schema);
  return isObject(prepared) ? prepared : {};
}
