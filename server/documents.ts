import { TextDocuments, type TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { TextDocument, type Position } from 'vscode-languageserver-textdocument';
import { editorDocuments, extensionOf } from '../core/formats';

/**
 * Plain text documents (Terraform, YAML, JSON: the formats' editor documents). `TextDocuments` applies incremental changes; its
 * `update` hook is where each content change is seen against the text it applies to, so the edit can
 * also be given, as offsets and row/column points, to the document's Terraform tree (`tree.edit`) and to
 * the log of edits since the last good analysis (see `incremental.ts`).
 *
 * Notebook cells are not here: `NotebookDocuments` keeps them in its own `TextDocuments`, fed by the
 * notebook notifications (`notebooks.ts`). The two coexist because `NotebookDocuments.listen` routes cell
 * open/change/close through an internal connection and never touches the `textDocument/*` handlers that
 * `TextDocuments.listen(connection)` installs.
 */

/** One content change, in the coordinates of the text it was applied to (UTF-16 offsets, LSP positions). */
export interface ContentEdit {
  uri: string;
  version: number;
  start: number;
  oldEnd: number;
  newEnd: number;
  startPosition: Position;
  oldEndPosition: Position;
  newEndPosition: Position;
}

export function createTextDocuments(onEdit: (edit: ContentEdit) => void): TextDocuments<TextDocument> {
  return new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => applyChanges(doc, changes, version, onEdit),
  });
}

/** Apply LSP content changes one by one, reporting each as a `ContentEdit` against the text it applies to. */
export function applyChanges(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number, onEdit: (edit: ContentEdit) => void): TextDocument {
  for (const change of changes) {
    if ('range' in change) {
      const a = doc.offsetAt(change.range.start);
      const b = doc.offsetAt(change.range.end);
      const start = Math.min(a, b);
      const oldEnd = Math.max(a, b);
      const startPosition = doc.positionAt(start);
      const oldEndPosition = doc.positionAt(oldEnd);
      TextDocument.update(doc, [{ range: { start: startPosition, end: oldEndPosition }, text: change.text }], version);
      const newEnd = start + change.text.length;
      onEdit({ uri: doc.uri, version, start, oldEnd, newEnd, startPosition, oldEndPosition, newEndPosition: doc.positionAt(newEnd) });
    } else {
      const oldLength = doc.getText().length;
      const oldEndPosition = doc.positionAt(oldLength);
      TextDocument.update(doc, [change], version);
      const newEnd = change.text.length;
      onEdit({
        uri: doc.uri,
        version,
        start: 0,
        oldEnd: oldLength,
        newEnd,
        startPosition: { line: 0, character: 0 },
        oldEndPosition,
        newEndPosition: doc.positionAt(newEnd),
      });
    }
  }
  return doc;
}

const { languages: LANGUAGES, extensions: EXTENSIONS, filenames: FILENAMES } = editorDocuments();
/** The file name patterns as one test: `*` stands for any run of characters (`.env.*`, `*.dockerfile`). */
const FILENAME = new RegExp(`^(?:${[...FILENAMES].map((n) => n.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')).join('|')})$`);

/** Documents the server analyses: the languages of the formats (see `FormatDefinition.editor`), their file extensions or names. */
export function isSupportedDocument(uri: string, languageId: string): boolean {
  return LANGUAGES.has(languageId) || EXTENSIONS.has(extensionOf(uri)) || FILENAME.test(uri.slice(uri.lastIndexOf('/') + 1));
}
