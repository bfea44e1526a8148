import type { Connection, TextDocuments, NotebookDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Rule } from '../core/rule';
import type { Log } from './log';
import type { Configs, Settings } from './settings';
import type { PublishedStore } from './diagnostics';
import type { Scheduler } from './scheduler';
import type { TerraformProjects } from './project';

/** What the handlers of each concern share. */
export interface Env {
  connection: Connection;
  rules: readonly Rule[];
  ruleById(id: string): Rule | undefined;
  log: Log;
  settings: Settings;
  configs: Configs;
  published: PublishedStore;
  scheduler: Scheduler;
  projects: TerraformProjects;
  documents: TextDocuments<TextDocument>;
  notebooks: NotebookDocuments<TextDocument>;
  client: ClientFeatures;
  /** Workspace folder paths. */
  folders: string[];
}

export interface ClientFeatures {
  configurationPull: boolean;
  dynamicConfiguration: boolean;
  watchedFilesDynamic: boolean;
  workDoneProgress: boolean;
  showDocument: boolean;
}
