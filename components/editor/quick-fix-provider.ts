import type * as Monaco from "monaco-editor";
import type { ConfigProblem } from "@/lib/engine/config-problems";
import { parseDocument, type TextEdit } from "@/lib/studio/json-document";
import { locateProblems } from "@/lib/studio/problem-ranges";
import { convertShorthandUniqueId, type QuickFix, quickFixesFor } from "@/lib/studio/quick-fixes";
import { findShorthandUniqueIds } from "@/lib/studio/shorthand-unique-ids";

export const MARKER_OWNER = "mms";

// Code action providers are per language, not per model: the one JSON provider serves every
// configuration editor that registered its model here with a way to read its latest problems.
const configModels = new Map<string, () => readonly ConfigProblem[]>();

/**
 * Offers quick fixes on a model from its latest problems; returns the unregistration. `modelUri`
 * is the model's `uri.toString()`.
 */
export function registerConfigModel(
  modelUri: string,
  problems: () => readonly ConfigProblem[],
): () => void {
  configModels.set(modelUri, problems);
  return () => {
    if (configModels.get(modelUri) === problems) configModels.delete(modelUri);
  };
}

function toWorkspaceEdit(
  monaco: typeof Monaco,
  model: Monaco.editor.ITextModel,
  edits: readonly TextEdit[],
): Monaco.languages.WorkspaceEdit {
  return {
    edits: edits.map((e) => {
      const start = model.getPositionAt(e.offset);
      const end = model.getPositionAt(e.offset + e.length);
      return {
        resource: model.uri,
        versionId: model.getVersionId(),
        textEdit: {
          range: monaco.Range.fromPositions(start, end),
          text: e.content,
        },
      };
    }),
  };
}

/** Run by a code action after its edit: selects a placeholder the fix inserted. */
const SELECT_COMMAND = "mms.selectAfterQuickFix";

/**
 * A workspace edit cannot move the cursor, but a code action may carry a command that Monaco runs
 * once the edit is made: this one selects the range (offsets into the edited text) in the editor
 * that shows the model, so typing replaces the placeholder.
 */
function registerSelectCommand(monaco: typeof Monaco): Monaco.IDisposable {
  return monaco.editor.registerCommand(
    SELECT_COMMAND,
    (_accessor, modelUri: string, offset: number, length: number) => {
      const editors = monaco.editor
        .getEditors()
        .filter((e) => e.getModel()?.uri.toString() === modelUri);
      const editor = editors.find((e) => e.hasTextFocus()) ?? editors[0];
      const model = editor?.getModel();
      if (!editor || !model) return;
      const range = monaco.Range.fromPositions(
        model.getPositionAt(offset),
        model.getPositionAt(offset + length),
      );
      editor.setSelection(range);
      editor.revealRangeInCenterIfOutsideViewport(range);
      editor.focus();
    },
  );
}

/** Registers the JSON code action provider that turns quick-fix builders into lightbulb actions. */
export function registerQuickFixes(monaco: typeof Monaco): Monaco.IDisposable {
  const command = registerSelectCommand(monaco);
  const provider = monaco.languages.registerCodeActionProvider(
    "json",
    {
      provideCodeActions(model, range, context) {
        const none = { actions: [], dispose() {} };
        const problems = configModels.get(model.uri.toString());
        if (!problems) return none;
        const text = model.getValue();
        const from = model.getOffsetAt(range.getStartPosition());
        const to = model.getOffsetAt(range.getEndPosition());
        const touches = (r: { startOffset: number; endOffset: number }) =>
          from <= r.endOffset && to >= r.startOffset;
        const { tree } = parseDocument(text);
        const found: { fix: QuickFix; startOffset: number; endOffset: number }[] = [];
        for (const p of locateProblems(text, problems(), tree)) {
          if (!touches(p)) continue;
          for (const fix of quickFixesFor(text, p.problem)) found.push({ ...p, fix });
        }
        for (const s of findShorthandUniqueIds(text, tree)) {
          const fix = touches(s) ? convertShorthandUniqueId(text, s.path) : null;
          if (fix) found.push({ ...s, fix });
        }
        const actions = found.map(({ fix }): Monaco.languages.CodeAction => {
          // Our codes (INVALID_CONSTANT, ...) never collide with the JSON worker's numeric ones.
          const diagnostics = context.markers.filter((m) => m.code === fix.code);
          return {
            title: fix.title,
            kind: "quickfix",
            diagnostics,
            isPreferred: fix.isPreferred ?? false,
            edit: toWorkspaceEdit(monaco, model, fix.edits),
            command: fix.select
              ? {
                  id: SELECT_COMMAND,
                  title: "Select the placeholder",
                  arguments: [model.uri.toString(), fix.select.offset, fix.select.length],
                }
              : undefined,
          };
        });
        return { actions, dispose() {} };
      },
    },
    { providedCodeActionKinds: ["quickfix"] },
  );
  return {
    dispose() {
      provider.dispose();
      command.dispose();
    },
  };
}
