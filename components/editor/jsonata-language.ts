import type * as Monaco from "monaco-editor";

export const JSONATA_LANGUAGE_ID = "jsonata";

/**
 * A Monarch tokenizer for JSONata: comments, strings, numbers, `$functions(` and `$variables`
 * (`$` and `$$` too), backquoted names, keyword operators and the symbolic ones.
 */
export const jsonataMonarch: Monaco.languages.IMonarchLanguage = {
  defaultToken: "",
  tokenPostfix: ".jsonata",
  keywords: ["and", "or", "in", "true", "false", "null", "function"],
  brackets: [
    { open: "(", close: ")", token: "delimiter.parenthesis" },
    { open: "[", close: "]", token: "delimiter.square" },
    { open: "{", close: "}", token: "delimiter.curly" },
  ],
  tokenizer: {
    root: [
      [/\s+/, "white"],
      [/\/\*/, "comment", "@comment"],
      [/"/, "string", "@stringDouble"],
      [/'/, "string", "@stringSingle"],
      [/`[^`]*`/, "identifier.quoted"],
      [/\$[A-Za-z_][\w]*(?=\s*\()/, "function"],
      [/\$[A-Za-z_][\w]*/, "variable"],
      [/\$\$?/, "variable.predefined"],
      [/\d+(\.\d+)?([eE][+-]?\d+)?/, "number"],
      [/[A-Za-z_][\w]*/, { cases: { "@keywords": "keyword", "@default": "identifier" } }],
      [/[{}()[\]]/, "@brackets"],
      [/:=|~>|\.\.|\?:|\?\?|!=|<=|>=|[=<>+\-*/%&!?:.,;^@#|~]/, "operator"],
    ],
    comment: [
      [/[^*]+/, "comment"],
      [/\*\//, "comment", "@pop"],
      [/\*/, "comment"],
    ],
    stringDouble: [
      [/[^"\\]+/, "string"],
      [/\\./, "string.escape"],
      [/"/, "string", "@pop"],
    ],
    stringSingle: [
      [/[^'\\]+/, "string"],
      [/\\./, "string.escape"],
      [/'/, "string", "@pop"],
    ],
  },
};

export const jsonataConfiguration: Monaco.languages.LanguageConfiguration = {
  comments: { blockComment: ["/*", "*/"] },
  brackets: [
    ["(", ")"],
    ["[", "]"],
    ["{", "}"],
  ],
  autoClosingPairs: [
    { open: "(", close: ")" },
    { open: "[", close: "]" },
    { open: "{", close: "}" },
    { open: '"', close: '"', notIn: ["string"] },
    { open: "'", close: "'", notIn: ["string"] },
    { open: "`", close: "`", notIn: ["string"] },
  ],
  surroundingPairs: [
    { open: "(", close: ")" },
    { open: "[", close: "]" },
    { open: "{", close: "}" },
    { open: '"', close: '"' },
    { open: "'", close: "'" },
  ],
};

/** The studio's light theme: Monaco's `vs` plus colours for the JSONata tokens. */
export const STUDIO_THEME = "mms-light";

export const studioTheme: Monaco.editor.IStandaloneThemeData = {
  base: "vs",
  inherit: true,
  rules: [
    { token: "function.jsonata", foreground: "795E26", fontStyle: "bold" },
    { token: "variable.jsonata", foreground: "001080" },
    { token: "variable.predefined.jsonata", foreground: "0F766E", fontStyle: "bold" },
    { token: "identifier.quoted.jsonata", foreground: "267F99" },
    { token: "identifier.jsonata", foreground: "1C1917" },
    { token: "operator.jsonata", foreground: "AF00DB" },
    { token: "string.escape.jsonata", foreground: "EE0000" },
  ],
  colors: {},
};

/** Registers the JSONata language and the studio theme once. */
export function registerJsonata(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === JSONATA_LANGUAGE_ID)) return;
  monaco.languages.register({ id: JSONATA_LANGUAGE_ID, aliases: ["JSONata"] });
  monaco.languages.setMonarchTokensProvider(JSONATA_LANGUAGE_ID, jsonataMonarch);
  monaco.languages.setLanguageConfiguration(JSONATA_LANGUAGE_ID, jsonataConfiguration);
  monaco.editor.defineTheme(STUDIO_THEME, studioTheme);
}
