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

/** The open document at a path, if any. */
export function openDocumentAt(documents: readonly TextDocument[], filePath: string): OpenDocument | undefined {
  for (const doc of documents) if (uriToPath(doc.uri) === filePath) return { uri: doc.uri, text: doc.getText(), version: doc.version };
  return undefined;
}

/** The open documents of the chart `filePath` belongs to (each in no nearer chart), but `except`. */
export function openInChartOf(documents: readonly TextDocument[], charts: Charts, filePath: string, except?: string): string[] {
  const dir = charts.chartDirOf(filePath);
  if (!dir) return [];
  const out: string[] = [];
  for (const doc of documents) {
    const p = uriToPath(doc.uri);
    if (doc.uri !== except && p?.startsWith(dir) && charts.chartDirOf(p) === dir) out.push(doc.uri);
  }
  return out;
}

/** The open documents of the chart of a file but the file itself, for an analysis off the main thread. */
export function openChartSiblings(documents: readonly TextDocument[], charts: Charts, filePath: string): OpenSibling[] {
  const open = new Set(openInChartOf(documents, charts, filePath));
  const out: OpenSibling[] = [];
  for (const doc of documents) {
    const p = uriToPath(doc.uri);
    if (p && p !== filePath && open.has(doc.uri)) out.push({ uri: doc.uri, path: p, text: doc.getText() });
  }
  return out;
}

/** Whether a file is not open (by URI or path): the test `AnalyzeOptions.unseenTemplates` takes. */
export function closedDocuments(documents: readonly TextDocument[]): (uri: string) => boolean {
  const open = new Set<string>();
  for (const doc of documents) open.add(uriToPath(doc.uri) ?? doc.uri);
  return (uri) => !open.has(uriToPath(uri) ?? uri);
}
