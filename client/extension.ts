// The VS Code side of Airlock: starts the language server, forwards notebook cell outputs (LSP carries
// none), shows a status item and implements the commands that need the editor.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  WorkDoneProgress,
  type ExecuteCommandOptions,
  type LanguageClientOptions,
  type RegistrationData,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  DEFAULT_DEBOUNCE_MS,
  NOTEBOOK_OUTPUTS_NOTIFICATION,
  SERVER_NODE_OPTIONS,
  SETTINGS_SECTION as SECTION,
  type NotebookOutputsParams,
  type ScanWorkspaceResult,
  type ShowRuleDocsResult,
} from '../protocol';
import { notebookOutputs, JUPYTER_NOTEBOOK_TYPE } from './notebook';

/**
 * Commands the extension registers itself. The server lists `airlock.scanWorkspace` among its commands
 * and the client would register it as a bare request; the extension's own command sends the same
 * request with a progress notification and a summary, so the server's entry is left out.
 */
const CLIENT_COMMANDS = new Set<string>([Commands.scanWorkspace, Commands.clearCellOutputs]);
/** Cell output changes arrive in bursts while a cell runs; send one snapshot per pause. */
const OUTPUT_SEND_DELAY_MS = 100;

/**
 * Documents the client's own features (code actions) apply to. Which documents are synced to the server is
 * the server's choice: it registers text document sync for its formats' languages and extensions.
 * `terraform-vars` is the HashiCorp extension's language for .tfvars; `dockercompose` the Docker extension's;
 * `dockerfile` is VS Code's own language for Dockerfiles and Containerfiles.
 */
const LANGUAGES = ['terraform', 'terraform-vars', 'yaml', 'json', 'dockercompose', 'dockerfile'];
const NOTEBOOK_CELL_LANGUAGES = ['python', 'markdown'];

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let context: vscode.ExtensionContext;
let outputChannel: vscode.LogOutputChannel;
let statusItem: vscode.StatusBarItem;
/** Why the language server is not running, when it failed to start. */
let startError: string | undefined;
const pendingOutputs = new Map<string, ReturnType<typeof setTimeout>>();

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  outputChannel = vscode.window.createOutputChannel('Airlock', { log: true });
  statusItem = vscode.window.createStatusBarItem('airlock.status', vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'Airlock';
  statusItem.command = 'workbench.actions.view.problems';
  ctx.subscriptions.push(
    outputChannel,
    statusItem,
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.commands.registerCommand(Commands.scanWorkspace, scanWorkspace),
    vscode.commands.registerCommand(Commands.clearCellOutputs, clearCellOutputs),
    vscode.commands.registerCommand('airlock.showOutput', () => outputChannel.show()),
    vscode.workspace.onDidChangeNotebookDocument(onNotebookChanged),
    vscode.workspace.onDidCloseNotebookDocument((nb) => cancelPendingOutputs(nb.uri.toString())),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.enable`)) await applyEnablement();
    }),
    // Trust is given to the server when it starts: start it again with the workspace's own configuration.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stopClient();
      await applyEnablement();
    }),
  );
  await applyEnablement();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('enable', true);
}

async function applyEnablement(): Promise<void> {
  if (enabled()) await startClient();
  else await stopClient();
  updateStatus();
}

function createClient(): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6009'] } },
  };
  const debounceMs = vscode.workspace.getConfiguration(SECTION).get<number>('debounceMs', DEFAULT_DEBOUNCE_MS);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // Notebook cells reach the server through notebook sync (the server's notebookDocumentSync); listing
      // them here gives them the server's other features (code actions: fixes for cells and their outputs).
      ...NOTEBOOK_CELL_LANGUAGES.map((language) => ({ notebook: { notebookType: JUPYTER_NOTEBOOK_TYPE }, language })),
    ],
    synchronize: { configurationSection: SECTION },
    // In Restricted Mode VS Code withholds the workspace's values of the restricted settings (package.json
    // `capabilities.untrustedWorkspaces`); the server also leaves the workspace's `.airlock.yaml` unread.
    initializationOptions: { debounceMs, trusted: vscode.workspace.isTrusted },
    outputChannel,
    middleware: {
      executeCommand: async (command, args, next) => {
        if (command !== Commands.showRuleDocs) return next(command, args);
        return showRuleDocs(args, (a) => next(command, a));
      },
      notebooks: {
        // Outputs follow the notebook's didOpen, so the server already knows the notebook they belong to.
        didOpen: async (notebook, cells, next) => {
          await next(notebook, cells);
          // Not awaited: this can run while the client is still starting, and the send waits for the start.
          void sendNotebookOutputs(languageClient, notebook);
        },
      },
    },
  };
  const languageClient = new LanguageClient(SECTION, 'Airlock', serverOptions, clientOptions);
  keepClientCommands(languageClient);
  return languageClient;
}

/**
 * The client registers a VS Code command for every command the server lists in `executeCommandProvider`.
 * Commands the client implements itself (with progress, or with a notebook edit) would then be registered
 * twice, which VS Code refuses: leave those out of the server's list.
 */
function keepClientCommands(languageClient: LanguageClient): void {
  const feature = languageClient.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data: RegistrationData<ExecuteCommandOptions>) =>
    register({
      ...data,
      registerOptions: { ...data.registerOptions, commands: data.registerOptions.commands.filter((c) => !CLIENT_COMMANDS.has(c)) },
    });
}

async function startClient(): Promise<void> {
  if (client) return starting;
  client = createClient();
  const current = client;
  startError = undefined;
  starting = current.start().then(
    () => {
      updateStatus();
      for (const notebook of vscode.workspace.notebookDocuments) scheduleOutputs(notebook);
    },
    (error: unknown) => {
      // Forget the failed client: the next command or settings change tries again.
      if (client === current) {
        client = undefined;
        starting = undefined;
      }
      startError = error instanceof Error ? error.message : String(error);
      updateStatus();
      outputChannel.error(`Airlock language server failed to start: ${startError}`);
      void vscode.window.showErrorMessage('Airlock: the language server failed to start. See the "Airlock" output for details.');
    },
  );
  return starting;
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  starting = undefined;
  for (const timer of pendingOutputs.values()) clearTimeout(timer);
  pendingOutputs.clear();
  if (!current) return;
  try {
    if (current.needsStop()) await current.stop();
  } catch (error) {
    outputChannel.warn(`Stopping the Airlock language server: ${String(error)}`);
  }
  await current.dispose().catch(() => undefined);
}

function running(): LanguageClient | undefined {
  return client?.isRunning() ? client : undefined;
}

// ---- status item -------------------------------------------------------------------------------

function updateStatus(): void {
  const current = running();
  statusItem.backgroundColor = undefined;
  statusItem.command = 'workbench.actions.view.problems';
  if (!enabled()) {
    statusItem.text = '$(shield) Airlock: off';
    statusItem.tooltip = 'Airlock is turned off (setting "airlock.enable").';
    statusItem.show();
    return;
  }
  if (startError !== undefined && !current) {
    statusItem.text = '$(shield) Airlock: not running';
    statusItem.tooltip = `The Airlock language server failed to start: ${startError}. Click to see the "Airlock" output.`;
    statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    statusItem.command = { title: 'Show Output', command: 'airlock.showOutput' };
    statusItem.show();
    return;
  }
  if (!current?.diagnostics) {
    statusItem.hide();
    return;
  }
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  current.diagnostics.forEach((_uri, diagnostics) => {
    for (const d of diagnostics) {
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
      else infos++;
    }
  });
  statusItem.text = `$(shield) Airlock $(error) ${errors} $(warning) ${warnings}`;
  statusItem.tooltip = `Airlock: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info. Click to open the Problems panel.`;
  statusItem.accessibilityInformation = { label: `Airlock: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}` };
  statusItem.show();
}

// ---- commands ----------------------------------------------------------------------------------

let progressTokens = 0;

async function scanWorkspace(): Promise<unknown> {
  if (!enabled()) {
    void vscode.window.showWarningMessage('Airlock is turned off (setting "airlock.enable").');
    return undefined;
  }
  await startClient();
  const current = running();
  if (!current) {
    void vscode.window.showErrorMessage('Airlock: the language server is not running.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Airlock: scanning the workspace', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `airlock-scan-${Date.now()}-${++progressTokens}`;
      let reported = 0;
      const listener = current.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
        if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
        progress.report({ message: value.message, increment });
      });
      try {
        const result = (await current.sendRequest(
          ExecuteCommandRequest.type,
          { command: Commands.scanWorkspace, arguments: [], workDoneToken },
          token,
        )) as ScanWorkspaceResult | null;
        const summary = describeScan(result);
        if (summary) {
          void vscode.window.showInformationMessage(summary, 'Show Problems').then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
          });
        }
        return result;
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        return current.handleFailedRequest(ExecuteCommandRequest.type, token, error, undefined);
      } finally {
        listener.dispose();
      }
    },
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeScan(result: ScanWorkspaceResult | null | undefined): string | undefined {
  if (!result || typeof result.files !== 'number') return undefined;
  const { error = 0, warning = 0, info = 0 } = result.bySeverity ?? {};
  let text = `Airlock ${result.cancelled ? 'stopped after scanning' : 'scanned'} ${plural(result.files, 'file')}`;
  if (result.open > 0) text += ` (${plural(result.open, 'open file')} ${result.open === 1 ? 'is' : 'are'} checked as you type)`;
  text += `: ${plural(result.findings, 'finding')}`;
  if (result.findings > 0) text += ` (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info) in ${plural(result.filesWithFindings, 'file')}`;
  text += '.';
  if (result.skipped > 0) text += ` ${plural(result.skipped, 'file')} skipped (too large or binary).`;
  if (result.errors > 0) text += ` ${plural(result.errors, 'file')} could not be read or analysed: see the "Airlock" output.`;
  return text;
}

/**
 * `airlock.showRuleDocs [ruleId]` runs on the server; from the command palette it has no rule id, so ask
 * for one (offering the rules with findings). When the server could not open the page, show its Markdown.
 */
async function showRuleDocs(args: unknown[], next: (args: unknown[]) => Promise<unknown>): Promise<unknown> {
  let ruleId = typeof args[0] === 'string' ? args[0] : undefined;
  if (!ruleId) {
    const seen = new Set<string>();
    running()?.diagnostics?.forEach((_uri, diagnostics) => {
      for (const d of diagnostics) {
        const code = typeof d.code === 'object' ? d.code.value : d.code;
        if (typeof code === 'string' && code.includes('/')) seen.add(code);
      }
    });
    ruleId = seen.size
      ? await vscode.window.showQuickPick([...seen].sort(), { title: 'Airlock: Show Rule Documentation', placeHolder: 'Rule id' })
      : await vscode.window.showInputBox({ title: 'Airlock: Show Rule Documentation', prompt: 'Rule id, such as network/open-ingress' });
    if (!ruleId) return undefined;
    args = [ruleId, ...args.slice(1)];
  }
  const result = (await next(args)) as ShowRuleDocsResult | undefined;
  if (result && !result.shown && typeof result.markdown === 'string') {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  }
  return result;
}

/**
 * `airlock.clearCellOutputs [notebookUri, cellIndex, cellUri?]`: the fix for a secret printed in a cell's
 * outputs. `cellUri` finds the cell when cells moved since the diagnostic was made.
 */
async function clearCellOutputs(notebookUri?: unknown, cellIndex?: unknown, cellUri?: unknown): Promise<boolean> {
  const asUri = (v: unknown) => (typeof v === 'string' ? vscode.Uri.parse(v) : v instanceof vscode.Uri ? v : undefined);
  const uri = asUri(notebookUri);
  const cellDocument = asUri(cellUri)?.toString();
  if (!uri || (cellDocument === undefined && (typeof cellIndex !== 'number' || !Number.isInteger(cellIndex) || cellIndex < 0))) {
    void vscode.window.showErrorMessage('Airlock: clearing cell outputs needs a notebook and a cell.');
    return false;
  }
  const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString()) ?? (await vscode.workspace.openNotebookDocument(uri));
  const cells = notebook.getCells();
  const cell = cells.find((c) => c.document.uri.toString() === cellDocument) ?? (typeof cellIndex === 'number' ? cells[cellIndex] : undefined);
  if (!cell) {
    void vscode.window.showErrorMessage('Airlock: that notebook cell no longer exists.');
    return false;
  }
  if (cell.outputs.length > 0) {
    // The API has no edit for outputs alone: replace the cell with a copy of itself that has none.
    const data = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
    data.metadata = cell.metadata;
    data.executionSummary = cell.executionSummary;
    data.outputs = [];
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [data])]);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('Airlock: the cell outputs could not be cleared.');
      return false;
    }
  }
  // Have the server re-check now rather than after the change event's delay.
  cancelPendingOutputs(notebook.uri.toString());
  const current = running();
  if (current) await sendNotebookOutputs(current, notebook);
  return true;
}

// ---- notebook outputs --------------------------------------------------------------------------

function onNotebookChanged(e: vscode.NotebookDocumentChangeEvent): void {
  if (e.notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE) return;
  const outputsChanged = e.contentChanges.length > 0 || e.cellChanges.some((c) => c.outputs !== undefined || c.executionSummary !== undefined);
  if (outputsChanged) scheduleOutputs(e.notebook);
}

function scheduleOutputs(notebook: vscode.NotebookDocument): void {
  if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || !running()) return;
  const key = notebook.uri.toString();
  cancelPendingOutputs(key);
  pendingOutputs.set(
    key,
    setTimeout(() => {
      pendingOutputs.delete(key);
      const current = running();
      if (current && !notebook.isClosed) void sendNotebookOutputs(current, notebook);
    }, OUTPUT_SEND_DELAY_MS),
  );
}

function cancelPendingOutputs(key: string): void {
  const timer = pendingOutputs.get(key);
  if (timer !== undefined) clearTimeout(timer);
  pendingOutputs.delete(key);
}

async function sendNotebookOutputs(current: LanguageClient, notebook: vscode.NotebookDocument): Promise<void> {
  if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE) return;
  const params: NotebookOutputsParams = { notebookUri: notebook.uri.toString(), cells: notebookOutputs(notebook.getCells()) };
  try {
    await current.sendNotification(NOTEBOOK_OUTPUTS_NOTIFICATION, params);
  } catch (error) {
    outputChannel.warn(`Sending notebook outputs: ${String(error)}`);
  }
}
