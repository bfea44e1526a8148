import type { ParsedFile, ParseProblem, Span } from '../core/model';
import type { Finding, Fix, Format, RelatedLocation, Severity } from '../core/index';
import { detectFormat } from '../core/formats';
import { parseFileSync } from '../core/formats';
import { parseTerraform, type TerraformTree } from '../core/formats/terraform/parse';
import type { ContentEdit } from './documents';

/**
 * Per-document parse state: the Terraform tree re-parsed incrementally, and the last good result kept
 * for when the user is mid-way through typing something that breaks the rest of the file.
 *
 * ## Mid-typing policy
 * Typing `"` opens a string that, until it is closed, swallows the rest of the file: the parser reports
 * new problems and most resources after that point disappear, and so would their findings — the Problems
 * panel would empty and refill on every quote. So:
 *
 * - A result is **good** unless it is *degraded*: compared with the last good result it has more parse
 *   problems **and** less structure (resources plus top-level entries, see `structureSize`). Good results
 *   are published as they are and become the new baseline.
 * - For a degraded result, the edits made since the baseline cover one *dirty range* (their union, in the
 *   baseline's text and in the current text). What is published is
 *   1. the baseline's findings outside the dirty range: those before it as they were, those after it
 *      moved by the length the edits added or removed, their fixes and related locations moved too (a fix
 *      with an edit inside the dirty range is dropped). That text is unchanged since the baseline, so its
 *      findings still stand; the degraded parse's own findings are not used, not even before the edit: a
 *      rule that looks at a whole module (a bucket above the edit, its access block swallowed below it)
 *      would report what the broken parse no longer sees. Rules turned off since are dropped, severities
 *      follow the current settings;
 *   2. the current parse problems (so the unclosed quote is pointed at).
 *   Nothing is reported inside the dirty range: that is what the user is typing. The baseline is kept
 *   until a good result replaces it.
 * - Cross-file changes and settings do not make a result degraded (same text ⇒ never degraded).
 * So a stray quote never empties the diagnostics, and nothing stale is shown in text that changed.
 */

export type EditTree = Parameters<TerraformTree['edit']>[0];

interface Baseline {
  version: number;
  text: string;
  findings: Finding[];
  problems: number;
  /** `structureSize` of the baseline's model. */
  size: number;
  /** The setting of each rule with findings, when the baseline was analysed. */
  settings: Map<string, Severity | 'off' | undefined>;
}

/** Resources plus top-level entries (a `.tfvars` file has attributes but no resources). */
export function structureSize(file: ParsedFile): number {
  let n = file.resources.length;
  for (const root of file.roots) n += root.kind === 'map' ? root.entries.length : root.kind === 'list' ? root.items.length : 0;
  return n;
}

interface LoggedEdit {
  version: number;
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Edits logged since the baseline; past this many, carrying findings over is given up. */
const MAX_LOGGED_EDITS = 20_000;

export class DocState {
  format: Format | undefined;
  tree: TerraformTree | undefined;
  /** The latest parse, whatever its version (other documents of a Terraform folder read it). */
  model: ParsedFile | undefined;
  modelVersion = -1;
  /** The last document version seen opening or changing (to tell edits from the open). */
  seenVersion = -1;
  private baseline: Baseline | undefined;
  private edits: LoggedEdit[] = [];

  /** `languageId`: the editor's language of the document, which decides the format of a buffer without a file name. */
  constructor(
    readonly uri: string,
    readonly languageId?: string,
  ) {}

  /** A content change arrived: keep the tree and the edit log in step with the text. */
  applyEdit(e: ContentEdit): void {
    if (this.tree) {
      try {
        this.tree.edit({
          startIndex: e.start,
          oldEndIndex: e.oldEnd,
          newEndIndex: e.newEnd,
          startPosition: { row: e.startPosition.line, column: e.startPosition.character },
          oldEndPosition: { row: e.oldEndPosition.line, column: e.oldEndPosition.character },
          newEndPosition: { row: e.newEndPosition.line, column: e.newEndPosition.character },
        } as EditTree);
      } catch {
        this.dropTree();
      }
    }
    if (this.baseline) {
      this.edits.push({ version: e.version, start: e.start, oldEnd: e.oldEnd, newEnd: e.newEnd });
      if (this.edits.length > MAX_LOGGED_EDITS) {
        this.baseline = undefined;
        this.edits = [];
      }
    }
  }

  /**
   * Parse the current text: Terraform (and Terragrunt, read by the same parser) from the previous tree (already edited),
   * other formats afresh.
   */
  parse(text: string, version: number): ParsedFile {
    const format = detectFormat(this.uri, text, this.languageId);
    let file: ParsedFile;
    if (format === 'terraform' || format === 'terragrunt') {
      const previous = this.format === format ? this.tree : undefined;
      let parsed: ReturnType<typeof parseTerraform>;
      try {
        parsed = parseTerraform(this.uri, text, previous);
      } catch (e) {
        this.dropTree();
        throw e;
      }
      if (previous && previous !== parsed.tree) previous.delete();
      this.tree = parsed.tree;
      parsed.format = format;
      file = parsed;
    } else {
      this.dropTree();
      file = parseFileSync(this.uri, text, format);
    }
    this.format = format;
    this.model = file;
    this.modelVersion = version;
    return file;
  }

  /**
   * Decide what to publish for a finished analysis of `file` at `version` (see the policy above).
   * `setting` is each rule's effective setting now (settings may change while the user is mid-typing).
   */
  reconcile(
    file: ParsedFile,
    version: number,
    findings: Finding[],
    setting: (ruleId: string) => Severity | 'off' | undefined = () => undefined,
  ): { findings: Finding[]; problems: ParseProblem[]; degraded: boolean } {
    const base = this.baseline;
    const size = structureSize(file);
    const degraded = base !== undefined && base.text !== file.text && file.problems.length > base.problems && size < base.size;
    if (!degraded) {
      const settings = new Map<string, Severity | 'off' | undefined>();
      for (const f of findings) if (!settings.has(f.ruleId)) settings.set(f.ruleId, setting(f.ruleId));
      this.baseline = { version, text: file.text, findings, problems: file.problems.length, size, settings };
      this.edits = this.edits.filter((e) => e.version > version);
      return { findings, problems: file.problems, degraded: false };
    }
    const dirty = dirtyRange(this.edits.filter((e) => e.version > base.version && e.version <= version));
    if (!dirty) return { findings, problems: file.problems, degraded: true };
    const delta = dirty.newEnd - dirty.oldEnd;
    const carried: Finding[] = [];
    for (const f of base.findings) {
      let moved: Finding;
      if (f.span.end <= dirty.start && f.span.start < dirty.start) moved = f;
      else if (f.span.start >= dirty.oldEnd) moved = shiftFinding(f, dirty, delta, file.uri);
      else continue;
      // Settings changed since the baseline: a rule turned off goes; a rule's severity follows the setting.
      const now = setting(f.ruleId);
      if (now === 'off') continue;
      if (now && f.severity === base.settings.get(f.ruleId) && now !== f.severity) moved = { ...moved, severity: now };
      carried.push(moved);
    }
    return { findings: carried, problems: file.problems, degraded: true };
  }

  /**
   * The document has not been edited for a while: free its tree and let its model go (tree-sitter trees
   * live in WebAssembly memory, models in the JS heap). The next parse is a full one; what was published
   * and the mid-typing baseline (text and findings) stay.
   */
  release(): void {
    this.dropTree();
    this.model = undefined;
    this.modelVersion = -1;
  }

  /** Closing: free the tree (tree-sitter trees live in WebAssembly memory). */
  dispose(): void {
    this.dropTree();
    this.model = undefined;
    this.baseline = undefined;
    this.edits = [];
  }

  private dropTree(): void {
    if (this.tree) {
      try {
        this.tree.delete();
      } catch {
        // already gone
      }
    }
    this.tree = undefined;
  }
}

export interface DirtyRange {
  /** Start, the same in the old and the new text. */
  start: number;
  /** End in the baseline's text. */
  oldEnd: number;
  /** End in the current text. */
  newEnd: number;
}

/** The union of a sequence of edits (each in the coordinates of the text before it) as one range. */
export function dirtyRange(edits: readonly { start: number; oldEnd: number; newEnd: number }[]): DirtyRange | undefined {
  let d: DirtyRange | undefined;
  for (const e of edits) {
    if (!d) {
      d = { start: e.start, oldEnd: e.oldEnd, newEnd: e.newEnd };
      continue;
    }
    // In the current text (before this edit), the dirty part is [d.start, d.newEnd]; union it with [e.start, e.oldEnd].
    const u0 = Math.min(d.start, e.start);
    const u1 = Math.max(d.newEnd, e.oldEnd);
    const shift = d.newEnd - d.oldEnd;
    // u1 is at or after d.newEnd, so text after it is unchanged since the baseline: map it back by the shift.
    d = { start: u0, oldEnd: u1 - shift, newEnd: u1 + (e.newEnd - e.oldEnd) };
  }
  return d;
}

function shiftSpan(s: Span, delta: number): Span {
  return { ...s, start: s.start + delta, end: s.end + delta };
}

/** A baseline span in the current text: unchanged before the dirty range, moved after it, undefined inside. */
function mapSpan(s: Span, dirty: DirtyRange, delta: number): Span | undefined {
  if (s.end <= dirty.start && !(s.start === s.end && s.start === dirty.start && dirty.oldEnd > dirty.start)) return s;
  if (s.start >= dirty.oldEnd) return shiftSpan(s, delta);
  return undefined;
}

function shiftFinding(f: Finding, dirty: DirtyRange, delta: number, uri: string): Finding {
  const sameFile = (target?: string) => !target || target === uri;
  const fixes: Fix[] = [];
  for (const fix of f.fixes ?? []) {
    const edits = fix.edits.map((e) => (sameFile(e.uri) ? { e, span: mapSpan(e.span, dirty, delta) } : { e, span: e.span }));
    if (edits.some((x) => x.span === undefined)) continue;
    fixes.push({ ...fix, edits: edits.map((x) => ({ ...x.e, span: x.span! })) });
  }
  const related: RelatedLocation[] = [];
  for (const r of f.related ?? []) {
    if (!sameFile(r.uri)) related.push(r);
    else {
      const span = mapSpan(r.span, dirty, delta);
      if (span) related.push({ ...r, span });
    }
  }
  const out: Finding = { ...f, span: shiftSpan(f.span, delta), fixes };
  if (f.related) out.related = related;
  return out;
}
