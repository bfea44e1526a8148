import { statSync } from 'node:fs';
import path from 'node:path';
import { DidChangeConfigurationNotification, type Connection } from 'vscode-languageserver/node';
import { ConfigError, defaultConfig, findConfigFile, loadConfigFile, mergeConfig, type Config, type RuleSetting } from '../core/config';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION, type AirlockSettings } from '../protocol';
import { hubCacheRoot } from '../core/hub-cache';
import type { Log } from './log';

/**
 * Editor settings (`airlock.*`) and the workspace `.airlock.yaml`, layered: the nearest `.airlock.yaml`
 * at or above a document's folder, up to its workspace folder or repository root (`findConfigFile`), then the `airlock.rules` setting on top (core's `mergeConfig`), so the
 * editor and the CLI agree on a project's rules unless the user overrides one in the editor.
 */

export { CONFIG_FILE } from '../core/config';

const SETTINGS = new Set(['error', 'warning', 'info', 'on', 'off']);
const SETTINGS_TIMEOUT_MS = 3000;
/** Shared (never mutated) so configs derived from it are cached. */
const DEFAULT_CONFIG: Config = defaultConfig();

export interface EffectiveSettings {
  rules: Record<string, RuleSetting>;
  debounceMs: number;
  /** `airlock.maxDocumentSize` in bytes; unset: the project config's `maxFileSize`, as in the CLI. */
  maxDocumentSize?: number;
  /**
   * False when the client says the workspace is not trusted (`initializationOptions.trusted`): its
   * `.airlock.yaml` is then not read, so a repository cannot turn rules off or ignore paths on its own say.
   */
  trusted: boolean;
  /** The Hugging Face cache folder quick fixes read (`airlock.hfCache` when trusted, else the environment's). */
  hfCache: string;
}

export class Settings {
  private current: EffectiveSettings = { rules: {}, debounceMs: DEFAULT_DEBOUNCE_MS, trusted: true, hfCache: hubCacheRoot(process.env) };
  private pull = false;
  private initial: AirlockSettings = {};
  private readonly listeners: (() => void)[] = [];
  private loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    /** A debounce forced by the embedding code (tests); wins over settings. */
    private readonly forcedDebounce?: number,
  ) {}

  get value(): EffectiveSettings {
    return this.current;
  }

  /** Resolves when the settings asked for at start-up (or after a change) have arrived. */
  get ready(): Promise<void> {
    return this.loaded;
  }

  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** From `initialize`: whether to pull with `workspace/configuration`, and `initializationOptions`. */
  initialize(pull: boolean, initializationOptions: unknown): void {
    this.pull = pull;
    this.initial = isObject(initializationOptions) ? (initializationOptions as AirlockSettings) : {};
    this.current = this.resolve({});
  }

  /** After `initialized`: register for changes and pull the first settings. */
  start(dynamicRegistration: boolean): void {
    if (this.pull && dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
    this.connection.onDidChangeConfiguration((params) => {
      const pushed = isObject(params?.settings) ? (params.settings as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
      if (isObject(pushed) || !this.pull) this.apply(isObject(pushed) ? (pushed as AirlockSettings) : {});
      else this.refresh();
    });
    if (this.pull) this.refresh();
  }

  private refresh(): void {
    const request = this.connection.workspace
      .getConfiguration(SETTINGS_SECTION)
      .then((s: unknown) => this.apply(isObject(s) ? (s as AirlockSettings) : {}))
      .catch((e: unknown) => this.log.warn(`cannot read the airlock settings: ${String(e)}`));
    // A client that never answers must not hold analysis up: go on with what we have after a while.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.warnOnce('settings-timeout', `no answer to workspace/configuration after ${SETTINGS_TIMEOUT_MS} ms: using the settings known so far`);
        resolve();
      }, SETTINGS_TIMEOUT_MS);
    });
    this.loaded = Promise.race([request, timeout]).finally(() => clearTimeout(timer));
  }

  private apply(raw: AirlockSettings): void {
    const next = this.resolve(raw);
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (changed) for (const l of this.listeners) l();
  }

  private resolve(raw: AirlockSettings): EffectiveSettings {
    const rules: Record<string, RuleSetting> = {};
    for (const source of [this.initial.rules, raw.rules]) {
      if (!isObject(source)) continue;
      for (const [id, s] of Object.entries(source as Record<string, unknown>)) {
        const setting = typeof s === 'boolean' ? (s ? 'on' : 'off') : String(s);
        if (SETTINGS.has(setting)) rules[id] = setting as RuleSetting;
        else this.log.warnOnce(`setting:${id}:${setting}`, `airlock.rules["${id}"]: expected error, warning, info, on or off (got ${JSON.stringify(s)})`);
      }
    }
    const debounce = [this.forcedDebounce, raw.debounceMs, this.initial.debounceMs].find((d) => typeof d === 'number' && Number.isFinite(d) && d >= 0);
    const sizes = [raw.maxDocumentSize, this.initial.maxDocumentSize].filter((n) => n !== undefined && n !== null);
    for (const n of sizes) {
      if (!isSize(n))
        this.log.warnOnce(`setting:maxDocumentSize:${String(n)}`, `airlock.maxDocumentSize: expected a number of bytes above 0 (got ${JSON.stringify(n)})`);
    }
    const maxDocumentSize = sizes.find(isSize);
    const trusted = this.initial.trusted !== false;
    const cache = [raw.hfCache, this.initial.hfCache].find((c) => typeof c === 'string' && c !== '');
    const hfCache = trusted && cache ? hubCacheRoot({ HF_HUB_CACHE: cache }) : hubCacheRoot(process.env);
    return { rules, debounceMs: debounce ?? DEFAULT_DEBOUNCE_MS, maxDocumentSize, trusted, hfCache };
  }
}

/** `.airlock.yaml` lookup (cached per folder) and the config a document is analysed with. */
export class Configs {
  /** folder → its config file (or null), for the workspace folders in `roots`. */
  private readonly nearest = new Map<string, string | null>();
  private roots = '';
  /** config file → parsed config and its mtime. */
  private readonly files = new Map<string, { mtime: number; config: Config }>();
  private readonly merged = new WeakMap<Config, { rules: Record<string, RuleSetting>; config: Config }>();

  constructor(
    private readonly settings: Settings,
    private readonly log: Log,
    /** Workspace folders: the lookup stops there (or at a repository root) on its way up. */
    private readonly workspaceFolders: () => readonly string[] = () => [],
    /** Rule ids of the registry: a config naming another is reported. */
    private readonly knownRuleIds?: readonly string[],
  ) {}

  /** The config file that applies to a folder. */
  fileFor(dir: string): string | undefined {
    const folders = this.workspaceFolders();
    const roots = folders.join('\0');
    if (roots !== this.roots) {
      this.nearest.clear();
      this.roots = roots;
    }
    let found = this.nearest.get(dir);
    if (found === undefined) {
      found = findConfigFile(dir, folders) ?? null;
      this.nearest.set(dir, found);
    }
    return found ?? undefined;
  }

  /** The project config of a folder (no editor settings), with the folder its `ignore:` patterns are relative to. */
  projectConfig(dir: string | undefined): { config: Config; dir?: string } {
    const file = dir && this.settings.value.trusted !== false ? this.fileFor(dir) : undefined;
    if (!file) return { config: DEFAULT_CONFIG };
    let mtime = 0;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      this.invalidate();
      return { config: DEFAULT_CONFIG };
    }
    const cached = this.files.get(file);
    if (cached && cached.mtime === mtime) return { config: cached.config, dir: path.dirname(file) };
    let config: Config;
    try {
      config = loadConfigFile(file, this.knownRuleIds);
    } catch (e) {
      const message = e instanceof ConfigError ? e.message : String(e);
      this.log.warnOnce(`config:${file}:${message}`, `${message} (using the default configuration)`, true);
      config = defaultConfig();
    }
    this.files.set(file, { mtime, config });
    return { config, dir: path.dirname(file) };
  }

  /** The project config with the editor's `airlock.rules` on top (cached per project config and settings). */
  configFor(dir: string | undefined): { config: Config; dir?: string } {
    const base = this.projectConfig(dir);
    const rules = this.settings.value.rules;
    if (!Object.keys(rules).length) return base;
    let merged = this.merged.get(base.config);
    if (!merged || merged.rules !== rules) {
      // Keep the project's `ignore` array itself: matchers are cached by it.
      merged = { rules, config: { ...mergeConfig(base.config, { rules }), ignore: base.config.ignore } };
      this.merged.set(base.config, merged);
    }
    return { config: merged.config, dir: base.dir };
  }

  /** A `.airlock.yaml` appeared, changed or went away. */
  invalidate(): void {
    this.nearest.clear();
    this.files.clear();
  }
}

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
