/**
 * What the Airlock language server and its clients agree on beyond LSP 3.17: command ids, the custom
 * notebook-outputs notification, the code action kind, settings and diagnostic data.
 *
 * The server and the VS Code extension both import this module. It imports nothing, so the extension
 * gets these names and types without pulling in server or engine code (test/architecture.test.ts).
 *
 * ## Commands
 *
 * | id | who runs it | arguments | result |
 * |---|---|---|---|
 * | `airlock.scanWorkspace` | the server (`workspace/executeCommand`) | `[]` or `[ScanWorkspaceArgs]` | `ScanWorkspaceResult` |
 * | `airlock.showRuleDocs` | the server (`workspace/executeCommand`) | `[ruleId: string]` | `ShowRuleDocsResult` |
 * | `airlock.clearCellOutputs` | **the client** | `[notebookUri: string, cellIndex: number, cellUri?: string]` | — |
 *
 * The server lists the first two in `executeCommandProvider.commands`; `vscode-languageclient` registers
 * them itself, so the extension must not register them again. `airlock.clearCellOutputs` is not listed:
 * the extension registers it and clears the outputs of that cell (`cellUri`, the cell's text document,
 * identifies it when cells have moved since), then forwards the notebook's outputs again
 * (`airlock/notebookOutputs`) so the server re-checks.
 *
 * Arguments of another shape are answered with an `InvalidParams` error that says what is wrong.
 *
 * `airlock.showRuleDocs` asks the client to open the rule's documentation page (`window/showDocument`,
 * external) when the client supports it, and returns the page's URL and its Markdown either way.
 */

export { DOCUMENT_EXTENSIONS, DOCUMENT_FILENAMES, DOCUMENT_LANGUAGES, type TextDocumentFilter, textDocumentSelector } from './documents';

export const Commands = {
  scanWorkspace: 'airlock.scanWorkspace',
  showRuleDocs: 'airlock.showRuleDocs',
  clearCellOutputs: 'airlock.clearCellOutputs',
} as const;

/** The commands the server executes (listed in `executeCommandProvider`). */
export const SERVER_COMMANDS: readonly string[] = [Commands.scanWorkspace, Commands.showRuleDocs];

/** `source.fixAll.airlock`: applies the safe fixes of every rule in the document (e.g. on save). */
export const FIX_ALL_KIND = 'source.fixAll.airlock';

/** `Diagnostic.source` of every Airlock diagnostic. */
export const DIAGNOSTIC_SOURCE = 'airlock';

/** `Diagnostic.code` of a file Airlock could not parse (severity Information). */
export const PARSE_ERROR_CODE = 'parse-error';

/** `Diagnostic.code` of a document over the size limit (`airlock.maxDocumentSize`), which is not analysed. */
export const TOO_LARGE_CODE = 'too-large';

/** `Diagnostic.code` of a document whose analysis failed as a whole (a parser or the analysis thread crashed). */
export const NOT_ANALYSED_CODE = 'not-analysed';

/** Where `docs/rules/<id>.md` is published: `codeDescription.href` of each diagnostic. */
export const RULE_DOCS_BASE_URL = 'https://github.com/airlock-dev/airlock/blob/main/docs/rules/';

/**
 * `Diagnostic.data` of rule findings: code actions look the finding (and its fixes) up by this, never by
 * message text. `index` is the finding's position in what the server last published for that document
 * `version` (for notebook cells, the cell document's version).
 */
export interface DiagnosticData {
  ruleId: string;
  version: number;
  index: number;
}

// ---------------------------------------------------------------------------------------------------
// Notebook outputs

/**
 * LSP carries no notebook outputs. The client sends the text outputs of a `jupyter-notebook` notebook
 * when it opens, when its outputs change and after a cell runs:
 *
 * ```ts
 * client.sendNotification('airlock/notebookOutputs', {
 *   notebookUri: notebook.uri.toString(),
 *   cells: [{ index: 3, uri: cell.document.uri.toString(), outputs: [{ outputType: 'stream', text: 'hf_...' }] }],
 * });
 * ```
 *
 * Only text is sent: `stream` output (stdout/stderr), `error` (name, value and the traceback, one frame per
 * line, ANSI colour codes removed) and the text MIME items (`text/plain`, `text/html`, `application/json`,
 * ...) of `execute_result` / `display_data`. Never images or other binary data. A notebook output with
 * several text MIME items is sent as several items sharing `outputIndex`.
 *
 * By default the notification is a snapshot: cells it does not list have no outputs. With
 * `partial: true` only the listed cells are replaced (e.g. after one cell ran). The server keeps the outputs
 * per cell document until the notebook closes, re-checks the notebook, and reports output findings on the
 * cell's first line ("in output N, line M"), with a `airlock.clearCellOutputs` code action.
 */
export const NOTEBOOK_OUTPUTS_NOTIFICATION = 'airlock/notebookOutputs';

export interface NotebookOutputItem {
  /** `stream` | `execute_result` | `display_data` | `error`. */
  outputType: string;
  /** MIME type of the text (`text/plain`, `application/json`, ...); absent for `stream` and `error`. */
  mime?: string;
  /** The output's text (streams joined; tracebacks one frame per line). */
  text: string;
  /** Position of the output in the cell's outputs (defaults to the item's position in `outputs`). */
  outputIndex?: number;
}

export interface NotebookCellOutputs {
  /** The cell's index in the notebook when the client sent this. */
  index: number;
  /** The cell's text document URI (preferred over `index` when given: robust to cells moving). */
  uri?: string;
  outputs: NotebookOutputItem[];
}

export interface NotebookOutputsParams {
  notebookUri: string;
  cells: NotebookCellOutputs[];
  /** Only the listed cells changed; others keep their outputs. Default false: a full snapshot. */
  partial?: boolean;
}

/** Bytes of output text the server reads per cell; the rest is ignored. */
export const MAX_OUTPUT_TEXT_PER_CELL = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Commands' arguments and results

export interface ScanWorkspaceArgs {
  /** Folder URIs to scan instead of all workspace folders. */
  folders?: string[];
}

export interface ScanWorkspaceResult {
  /** Files analysed. */
  files: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
  findings: number;
  /** Findings by severity. */
  bySeverity: { error: number; warning: number; info: number };
  /** Files skipped: too large or binary. */
  skipped: number;
  /** Files or folders that could not be read, or that a rule or adapter failed on. */
  errors: number;
  /** Files that are open in the editor: their diagnostics come from the live analysis. */
  open: number;
  cancelled: boolean;
  durationMs: number;
}

export interface ShowRuleDocsResult {
  ruleId: string;
  url: string;
  /** The rule's documentation as Markdown. */
  markdown: string;
  /** Whether the client was asked to open `url` and said it did. */
  shown: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Settings

/**
 * Settings section `airlock` (pulled with `workspace/configuration`, or pushed in
 * `workspace/didChangeConfiguration` `settings.airlock` by clients without pull support). The same keys
 * are accepted in `initializationOptions`.
 */
export interface AirlockSettings {
  /** Per rule id or glob: `error` | `warning` | `info` | `off` | `on`; layered over `.airlock.yaml`. */
  rules?: Record<string, string>;
  /** Delay between the last keystroke and analysis, in milliseconds (default 150). */
  debounceMs?: number;
  /**
   * Bytes (UTF-8) above which an open document is not analysed but gets one `too-large` diagnostic; the
   * CLI's `--max-file-size`. Default: `maxFileSize` of `.airlock.yaml`, else 5 MB.
   */
  maxDocumentSize?: number;
  /**
   * The Hugging Face cache folder that "Pin to <commit>… (cached from <ref>)" quick fixes read. Default:
   * `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub` (of the server's environment).
   * Ignored when the workspace is not trusted: a repository must not choose the commits its loads are pinned to.
   */
  hfCache?: string;
  /**
   * `initializationOptions` only: false when the workspace is not trusted (VS Code's Restricted Mode). The
   * server then reads no `.airlock.yaml`: a repository opened to be inspected cannot turn rules off or
   * ignore its own paths. The client restarts the server when trust is granted.
   */
  trusted?: boolean;
}

export const SETTINGS_SECTION = 'airlock';
export const DEFAULT_DEBOUNCE_MS = 150;

/**
 * Node options the language server is started with. A young generation that starts at 16 MB instead of growing
 * from 1 MB makes garbage collections rarer than one keystroke in twenty while typing in a 1,000-line file, so
 * they leave the slowest 5% (p95 measured alternately: 4.1–4.9 ms with it, 4.5–5.0 ms without; 16 MB more memory).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--min-semi-space-size=16'];
