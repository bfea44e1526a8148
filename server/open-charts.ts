import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OpenSibling } from './offthread';
import { uriToPath } from './uri';

/**
 * The open documents of a Helm chart: a template resolves from its chart's `values.yaml` as typed, and a
 * values file shows the findings its lines decide in the chart's templates that are not open.
 */

export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
}

interface Charts {
  chartDirOf(filePath: string): string | undefined;
}

/** Open documents by path (a document with no path: by URI), kept as documents open and close. */
export type OpenByPath = ReadonlyMap<string, TextDocument>;

/** The key of a document in `OpenByPath`. */
export function openKey(uri: string): string {
  return uriToPath(uri) ?? uri;
}

/** The open document at a path, if any. */
export function openDocumentAt(open: OpenByPath, filePath: string): OpenDocument | undefined {
  const doc = open.get(filePath);
  return doc && { uri: doc.uri, text: doc.getText(), version: doc.version };
}

/** The open documents of the chart `filePath` belongs to (each in no nearer chart), but `except`. */
export function openInChartOf(open: OpenByPath, charts: Charts, filePath: string, except?: string): string[] {
  const dir = charts.chartDirOf(filePath);
  if (!dir) return [];
  const out: string[] = [];
  for (const [p, doc] of open) {
    if (doc.uri !== except && doc.uri.startsWith('file:') && p.startsWith(dir) && charts.chartDirOf(p) === dir) out.push(doc.uri);
  }
  return out;
}

/** The open documents of the chart of a file but the file itself, for an analysis off the main thread. */
export function openChartSiblings(open: OpenByPath, charts: Charts, filePath: string): OpenSibling[] {
  const out: OpenSibling[] = [];
  for (const uri of openInChartOf(open, charts, filePath)) {
    const p = uriToPath(uri);
    const doc = p === undefined ? undefined : open.get(p);
    if (p && doc && p !== filePath) out.push({ uri, path: p, text: doc.getText() });
  }
  return out;
}

/** Whether a file is not open (by URI or path): the test `AnalyzeOptions.unseenTemplates` takes. */
export function closedDocuments(open: OpenByPath): (uri: string) => boolean {
  return (uri) => !open.has(openKey(uri));
}
