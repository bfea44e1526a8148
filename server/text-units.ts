import { detectFormat, parseFileSync, releaseFile } from '../core/formats';
import type { ParsedFile } from '../core/model';
import { type AnalysedUnit, Positions } from './diagnostics';
import type { DocState } from './incremental';

/** What the publication of a text document keeps, and the model a code action reads from it. */

export function emptyUnit(uri: string, version: number, text: string, state: DocState): AnalysedUnit {
  return {
    kind: 'text',
    uri,
    version,
    file: state.model ?? { uri, format: 'text', text, resources: [], roots: [], comments: [], problems: [], toFileSpan: (s) => s },
    positions: new Positions(text),
    others: new Map(),
  };
}

/**
 * What a publication keeps: the text (in `positions`) and the other files' texts, not the model. Made here,
 * not in `run`: a getter made there would hold `run`'s whole scope (the model, the project) alive.
 */
export function textUnit(state: DocState, uri: string, version: number, positions: Positions, others: Map<string, string>): AnalysedUnit {
  return {
    kind: 'text',
    uri,
    version,
    get file() {
      return modelAt(state, uri, version, positions.text);
    },
    positions,
    others,
  };
}

/**
 * The model of `text` (the document at `version`): the document's own while it keeps it, else parsed again
 * (not kept: a code action on a document not being edited is rare).
 */
function modelAt(state: DocState, uri: string, version: number, text: string): ParsedFile {
  if (state.model && state.modelVersion === version && state.model.text === text) return state.model;
  const file = parseFileSync(uri, text, detectFormat(uri, text, state.languageId));
  // Not kept: what the parse holds outside the heap (a tree-sitter tree) is freed at once.
  try {
    releaseFile(file);
  } catch {
    // already gone
  }
  return file;
}
