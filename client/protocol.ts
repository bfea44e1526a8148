// The part of server/protocol.ts the extension uses, copied: the extension must not import server code.
// test/vscode/protocol.test.ts checks that the two agree.

export const Commands = {
  scanWorkspace: 'airlock.scanWorkspace',
  showRuleDocs: 'airlock.showRuleDocs',
  clearCellOutputs: 'airlock.clearCellOutputs',
} as const;

/** `Diagnostic.source` of every Airlock diagnostic. */
export const DIAGNOSTIC_SOURCE = 'airlock';

/** Client → server: the text outputs of a `jupyter-notebook` notebook, on open, on change and after a cell runs. */
export const NOTEBOOK_OUTPUTS_NOTIFICATION = 'airlock/notebookOutputs';

export interface NotebookOutputItem {
  /** `stream` | `execute_result` | `display_data` | `error`. */
  outputType: string;
  /** MIME type of the text; absent for `stream` and `error`. */
  mime?: string;
  text: string;
  /** Position of the output in the cell's outputs (several text MIME items of one output share it). */
  outputIndex?: number;
}

export interface NotebookCellOutputs {
  index: number;
  /** The cell's text document URI (preferred by the server over `index`). */
  uri?: string;
  outputs: NotebookOutputItem[];
}

export interface NotebookOutputsParams {
  notebookUri: string;
  cells: NotebookCellOutputs[];
  /** Only the listed cells changed. Default false: a full snapshot. */
  partial?: boolean;
}

/** Bytes of output text the server reads per cell; the rest is ignored. */
export const MAX_OUTPUT_TEXT_PER_CELL = 1024 * 1024;

export interface ScanWorkspaceResult {
  files: number;
  filesWithFindings: number;
  findings: number;
  bySeverity: { error: number; warning: number; info: number };
  skipped: number;
  errors: number;
  open: number;
  cancelled: boolean;
  durationMs: number;
}

export interface ShowRuleDocsResult {
  ruleId: string;
  url: string;
  markdown: string;
  shown: boolean;
}

export const SETTINGS_SECTION = 'airlock';
export const DEFAULT_DEBOUNCE_MS = 150;

/**
 * Node options the language server is started with. A young generation that starts at 16 MB instead of growing
 * from 1 MB makes garbage collections rarer than one keystroke in twenty while typing in a 1,000-line file, so
 * they leave the slowest 5% (p95 measured alternately: 4.1–4.9 ms with it, 4.5–5.0 ms without; 16 MB more memory).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--min-semi-space-size=16'];
