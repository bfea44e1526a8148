import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { DEFAULT_MAX_FILE_SIZE, type Config } from '../core/config';
import { formatSize } from '../core/report/meta';
import { DIAGNOSTIC_SOURCE, NOT_ANALYSED_CODE, TOO_LARGE_CODE } from '../protocol';
import type { EffectiveSettings } from './settings';

/**
 * The size limit of open documents: `airlock.maxDocumentSize`, else the project's `maxFileSize` (the
 * CLI's limit), in UTF-8 bytes. A document over it is not parsed at all (a tree-sitter parse of tens of
 * megabytes ends in a WebAssembly abort) and gets one diagnostic on its first line saying so. A notebook
 * counts the text of its cells.
 */
export function oversizeDiagnostic(texts: string | readonly string[], settings: EffectiveSettings, config: Config, what = 'document'): Diagnostic | undefined {
  const limit = settings.maxDocumentSize ?? config.maxFileSize;
  const parts = typeof texts === 'string' ? [texts] : texts;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most documents are under the limit without counting.
  let length = 0;
  for (const t of parts) length += t.length;
  if (length * 3 <= limit) return undefined;
  let size = 0;
  for (const t of parts) size += Buffer.byteLength(t, 'utf8');
  if (size <= limit) return undefined;
  const source =
    settings.maxDocumentSize !== undefined
      ? 'set by airlock.maxDocumentSize'
      : config.maxFileSize !== DEFAULT_MAX_FILE_SIZE
        ? 'set by maxFileSize in .airlock.yaml'
        : 'of airlock.maxDocumentSize';
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: TOO_LARGE_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `Not analysed: the ${what} is ${sizeOf(size)}, over the ${formatSize(limit)} limit ${source}`,
  };
}

/** A size with one decimal in its unit (`20.0 MB`), so that a size just over the limit does not read as equal to it. */
function sizeOf(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes >= mb) return `${(bytes / mb).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** The one diagnostic of a document whose analysis failed as a whole: never silence. */
export function notAnalysed(why: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: NOT_ANALYSED_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: `Not analysed: ${why}`,
  };
}
