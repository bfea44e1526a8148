import path from 'node:path';
import {
  BulkRegistration,
  CodeActionKind,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  FileChangeType,
  NotebookDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Rule } from '../core/rule';
import { RULES } from '../rules/index';
import { TextAnalysis } from './analysis';
import { AnalysisWorker, bundledServerWorker } from './offthread';
import { CodeActions } from './code-actions';
import { WorkspaceCommands } from './commands';
import { PublishedStore } from './diagnostics';
import { createTextDocuments } from './documents';
import type { ClientFeatures, Env } from './env';
import { Log } from './log';
import { NotebookAnalysis } from './notebooks';
import { isTerraformModuleFile } from '../core/formats';
import { projectFileGlobs, TerraformProjects } from './project';
import { CHART_CONTEXT_FILES } from './helm-charts';
import { FIX_ALL_KIND, SERVER_COMMANDS, textDocumentSelector } from '../protocol';
import { Scheduler } from './scheduler';
import { CONFIG_FILE, Configs, Settings } from './settings';
import { uriToPath } from './uri';

export interface ServerOptions {
  /** Rules added to the built-in ones (a rule with a built-in's id replaces it). */
  rules?: readonly Rule[];
  /** Debounce in milliseconds, overriding settings and `initializationOptions` (tests pass 0). */
  debounceMs?: number;
}

export interface AirlockServer {
  /** Resolves when no analysis is pending or running. */
  whenIdle(): Promise<void>;
}

/**
 * Wire the Airlock language server on a connection: documents and notebooks, diagnostics, code actions,
 * settings, commands. The caller then calls `connection.listen()`.
 */
export function startServer(connection: Connection, options: ServerOptions = {}): AirlockServer {
  const extra = options.rules ?? [];
  const rules = [...RULES.filter((r) => !extra.some((x) => x.id === r.id)), ...extra].sort((a, b) => a.id.localeCompare(b.id));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const log = new Log(connection);
  const settings = new Settings(connection, log, options.debounceMs);
  const scheduler = new Scheduler((key, e) => log.error(`Airlock: analysis of ${key} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

  // Filled in below; the analysis objects need the Env and the Env needs them for the project view.
  let text: TextAnalysis | undefined;
  const documents = createTextDocuments((edit) => text?.edited(edit));
  const notebooks = new NotebookDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => TextDocument.update(doc, changes, version),
  });
  const client: ClientFeatures = {
    configurationPull: false,
    dynamicConfiguration: false,
    watchedFilesDynamic: false,
    workDoneProgress: false,
    showDocument: false,
  };
  const env: Env = {
    connection,
    rules,
    ruleById: (id) => byId.get(id),
    log,
    settings,
    configs: new Configs(settings, log, () => env.folders, [...byId.keys()]),
    published: new PublishedStore(connection),
    scheduler,
    projects: new TerraformProjects(
      (dir) => text?.openTerraformIn(dir) ?? [],
      (filePath) => text?.openAt(filePath),
    ),
    documents,
    notebooks,
    client,
    folders: [],
  };
  // The worker runs the built-in rules: a server given rules of its own analyses everything here.
  const workerFile = extra.length ? undefined : bundledServerWorker();
  text = new TextAnalysis(env, workerFile ? new AnalysisWorker(workerFile) : undefined);
  const textAnalysis = text;
  const notebookAnalysis = new NotebookAnalysis(env);
  const codeActions = new CodeActions(env);
  const commands = new WorkspaceCommands(env, (uri) => textAnalysis.isOpen(uri) || notebookAnalysis.isOpen(uri) || documents.get(uri) !== undefined);

  let workspaceFolders = false;
  /** The client takes text document sync by registration: the server names the documents it wants (the formats'). */
  let dynamicSync = false;
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    workspaceFolders = !!caps.workspace?.workspaceFolders;
    client.configurationPull = !!caps.workspace?.configuration;
    client.dynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    client.watchedFilesDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    client.workDoneProgress = !!caps.window?.workDoneProgress;
    client.showDocument = !!caps.window?.showDocument?.support;
    dynamicSync = !!caps.textDocument?.synchronization?.dynamicRegistration;
    settings.initialize(client.configurationPull, params.initializationOptions);
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined)];
    env.folders = folders.filter((f): f is string => !!f);
    return {
      capabilities: {
        textDocumentSync: dynamicSync ? TextDocumentSyncKind.None : { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        notebookDocumentSync: {
          notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }, { language: 'markdown' }] }],
          save: true,
        },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'airlock', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    settings.start(client.dynamicConfiguration);
    if (dynamicSync) {
      const documentSelector = textDocumentSelector();
      const sync = BulkRegistration.create();
      sync.add(DidOpenTextDocumentNotification.type, { documentSelector });
      sync.add(DidChangeTextDocumentNotification.type, { documentSelector, syncKind: TextDocumentSyncKind.Incremental });
      sync.add(DidCloseTextDocumentNotification.type, { documentSelector });
      sync.add(DidSaveTextDocumentNotification.type, { documentSelector, includeText: false });
      void connection.client.register(sync).catch(() => undefined);
    }
    if (client.watchedFilesDynamic) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            ...projectFileGlobs().map((globPattern) => ({ globPattern })),
            ...CHART_CONTEXT_FILES.map((name) => ({ globPattern: `**/${name}` })),
            { globPattern: `**/${CONFIG_FILE}` },
          ],
        })
        .catch(() => undefined);
    }
    if (workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
        env.folders = [...env.folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
      });
    }
  });

  settings.onDidChange(() => {
    textAnalysis.scheduleAll();
    notebookAnalysis.scheduleAll();
  });

  documents.onDidOpen((e) => textAnalysis.opened(e.document));
  // Fired for the opening text too, right after onDidOpen: `changed` tells the two apart by version.
  documents.onDidChangeContent((e) => textAnalysis.changed(e.document));
  documents.onDidClose((e) => textAnalysis.closed(e.document.uri));
  // Saved: the disk now holds what the folder's other documents already saw in the buffer; re-read it later.
  documents.onDidSave((e) => fileChanged(e.document.uri, FileChangeType.Changed, false));
  documents.listen(connection);
  notebooks.listen(connection);
  notebookAnalysis.listen();
  codeActions.listen();
  commands.listen();

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) fileChanged(change.uri, change.type);
  });

  function fileChanged(uri: string, type: FileChangeType, recheck = true): void {
    const p = uriToPath(uri);
    if (!p) return;
    if (path.basename(p) === CONFIG_FILE) {
      env.configs.invalidate();
      textAnalysis.scheduleAll();
      notebookAnalysis.scheduleAll();
      return;
    }
    // A chart's values.yaml or Chart.yaml changed on disk: its open templates resolve from it (open ones were seen as typed).
    if (CHART_CONTEXT_FILES.includes(path.basename(p))) {
      if (recheck) textAnalysis.scheduleChartOf(p, 0, uri);
      return;
    }
    if (!isTerraformModuleFile(p)) return;
    const kind = type === FileChangeType.Created ? 'created' : type === FileChangeType.Deleted ? 'deleted' : 'changed';
    env.projects.fileChanged(p, kind);
    if (recheck) textAnalysis.scheduleFolder(path.dirname(p), 0, type === FileChangeType.Changed ? uri : undefined);
  }

  connection.onShutdown(() => {
    textAnalysis.dispose();
    notebookAnalysis.dispose();
  });

  return { whenIdle: () => scheduler.whenIdle() };
}

export const SERVER_VERSION = '0.1.0';
