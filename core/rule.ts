import type { Format, ParsedFile, Span } from './model';
import type { Project } from './project';
import type { Prefilter } from './prefilter';
import type { ModuleCall } from './formats';

export type Family = 'secret' | 'storage' | 'network' | 'pin' | 'data';
export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/**
 * `safe`: applied by fix-all without review. `unsafe`: correct but changes behaviour, offered alone.
 * `suggestion`: needs a person (a snippet with a placeholder, never a guessed value).
 */
export type FixSafety = 'safe' | 'unsafe' | 'suggestion';

export interface TextEdit {
  span: Span;
  newText: string;
  /** Another file (absolute path or URI) — e.g. a `variable` block added to `variables.tf`. */
  uri?: string;
}

export interface Fix<Kind extends string = string> {
  title: string;
  /** Which of the rule's declared fix kinds this is (`Rule.fixes`); the kind fixes its safety. */
  kind: Kind;
  safety: FixSafety;
  edits: TextEdit[];
  /** `newText` uses LSP snippet syntax (`${1:placeholder}`). */
  snippet?: boolean;
  /** A notebook fix that clears a cell's outputs (LSP cannot edit outputs: the client does it). */
  clearOutputs?: { cell: number };
}

export interface RelatedLocation {
  span: Span;
  message: string;
  /** Another file of the project. */
  uri?: string;
}

export interface FindingInput<Kind extends string = string> {
  span: Span;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix<Kind>[];
  /** Overrides the rule's severity for this finding (e.g. `info` when a value cannot be resolved). */
  severity?: Severity;
  /** A Hugging Face Hub load a commit from the local cache can pin (see `HubPin`). */
  hubPin?: HubPin;
}

export type HubRepoType = 'model' | 'dataset' | 'space';

/** In a `HubPin` edit's new text: where the 40-character commit goes (also the placeholder of a snippet fix). */
export const COMMIT_SLOT = '${1:commit-sha}';

/**
 * What pins a Hub load, in data a front end reads: the repository, the ref the code asks for (`main` when it
 * names none) and the edits that write a commit, `COMMIT_SLOT` standing for it. Rules cannot read the
 * Hugging Face cache (they read only the model); the editor and `airlock pin` turn this into one fix per
 * commit the cache holds (`core/hub-cache.ts`).
 */
export interface HubPin {
  repoType: HubRepoType;
  repo: string;
  ref: string;
  edits: TextEdit[];
}

export interface Finding extends FindingInput {
  ruleId: string;
  family: Family;
  severity: Severity;
  uri: string;
}

export interface RuleDocs<Kind extends string = string> {
  /** One line: what the rule finds (the README's rules table, `airlock rules`, SARIF's short description). */
  summary: string;
  /** In detail, every construct the rule reads, where the summary cannot list them: the rule page's "What it reads". */
  reads?: string;
  /** Why it matters. */
  why: string;
  /** How to fix it by hand. */
  fix: string;
  /**
   * What each fix kind does, by kind (the kinds of `Rule.fixes`). The generated docs put each next to the
   * kind's safety, so the prose never states the safety itself.
   */
  fixes?: Readonly<Record<Kind, string>>;
  /** Short insecure / secure examples. */
  examples?: { bad: string; good: string; format: Format };
}

/** `Kind`: the fix kinds the rule declares, the only ones its findings may carry. */
export interface RuleContext<Kind extends string = string> {
  file: ParsedFile;
  project: Project;
  /**
   * Set when `file` is a file of a local module checked through a call of it (`module "x" { source = "./x" }`):
   * `evaluate` reads `var.*` from the call's arguments, and findings an argument decided move to it.
   */
  call?: ModuleCall;
  report(finding: FindingInput<Kind>): void;
}

export interface Rule<Kind extends string = string> {
  id: string;
  family: Family;
  severity: Severity;
  formats: readonly Format[];
  /** Off unless enabled in config (stricter variants). */
  defaultOff?: boolean;
  docs: RuleDocs<Kind>;
  /**
   * The fix kinds the rule may emit (kebab-case, naming what the fix does: `set-private`,
   * `move-to-variable`) and the safety of each. Every emitted fix names one of them and carries its safety;
   * the rule harness fails when one disagrees or a declared kind is never emitted by a fixture.
   */
  fixes?: Readonly<Record<Kind, FixSafety>>;
  /**
   * Rules whose findings this rule's findings replace where their spans overlap: a token recognised by
   * its provider format says more than the same value caught by its key name.
   */
  supersedes?: readonly string[];
  /**
   * What the text of every file the rule can report on holds, by format: one of some strings (a resource
   * type, a key name), or a test of the text. A repository scan does not parse a file that passes no enabled
   * rule's prefilter (see `prefilter.ts`). A format left out has its family's (`terraform` for Terraform JSON and
   * plans), or none: the rule may report on any file of it.
   * Only what must be written in the reported file itself counts: never a value, which may come from a
   * variable in another file.
   */
  prefilter?: Partial<Record<Format, Prefilter>>;
  check(ctx: RuleContext<Kind>): void | Promise<void>;
}

const ID = /^(secret|storage|network|pin|data)\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KIND = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `docs.fixes` takes its kinds from `fixes`: a kind without a description, or the reverse, does not compile. */
export function defineRule<Kind extends string = never>(rule: Omit<Rule<Kind>, 'docs'> & { docs: RuleDocs<NoInfer<Kind>> }): Rule {
  if (!ID.test(rule.id)) throw new Error(`invalid rule id ${rule.id}: expected family/kebab-name`);
  if (!rule.id.startsWith(`${rule.family}/`)) throw new Error(`rule ${rule.id} must start with its family ${rule.family}`);
  const kinds = Object.keys(rule.fixes ?? {});
  const described = Object.keys(rule.docs.fixes ?? {});
  for (const kind of kinds) if (!KIND.test(kind)) throw new Error(`rule ${rule.id}: invalid fix kind ${kind}: expected kebab-case`);
  if (kinds.sort().join() !== described.sort().join()) throw new Error(`rule ${rule.id}: docs.fixes must describe exactly the kinds of fixes`);
  return rule as Rule;
}
