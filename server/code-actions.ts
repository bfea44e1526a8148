import { readFileSync } from 'node:fs';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Fix } from '../core/rule';
import { snippetToText } from '../core/fix';
import { cachedPinFixes, HubCache } from '../core/hub-cache';
import { isJsonText, lineCommentOf } from '../core/formats';
import { Positions, type Published, type PublishedFinding } from './diagnostics';
import type { Env } from './env';
import { cloudFormationJsonIgnore, terraformJsonIgnore, commentAbove, insideMultilineLiteral, type OffsetEdit } from './ignore';
import { Commands, DIAGNOSTIC_SOURCE, FIX_ALL_KIND, PARSE_ERROR_CODE } from '../protocol';
import { asUri, uriToPath } from './uri';

/**
 * Code actions: each finding's fixes (for a Hugging Face Hub load, first a pin to each commit of it in the
 * local Hugging Face cache: `core/hub-cache.ts`), "Fix all <rule> in this file", `source.fixAll.airlock` (safe fixes of
 * every rule), "Ignore <rule> on this line" and "Show documentation for <rule>". A diagnostic's finding is
 * found by the rule id, index and document version in its `data`, checked against the range: a diagnostic
 * from an older version gets no fix.
 *
 * Snippet fixes are inserted as plain text (`snippetToText`: the placeholder's default text) — LSP 3.17's
 * WorkspaceEdit has no snippets, and a literal placeholder is what a person then replaces.
 */

type Edits = Map<string, TextEdit[]>;

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return before(a.start, b.end) && before(b.start, a.end);
}

function toWorkspaceEdit(edits: Edits): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const [uri, list] of edits) changes[uri] = list;
  return { changes };
}

/** Whether an action of `kind` was asked for (`only` absent: quick fixes, not source actions). */
function wants(only: string[] | undefined, kind: string): boolean {
  if (!only) return !kind.startsWith('source');
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export class CodeActions {
  constructor(private readonly env: Env) {}

  listen(): void {
    this.env.connection.onCodeAction((params) => {
      try {
        return this.provide(params);
      } catch (e) {
        this.env.log.errorOnce(
          `code-actions:${String(e)}`,
          `Airlock could not compute code actions for ${params.textDocument.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
        return [];
      }
    });
  }

  /** The version of an open document (text document or notebook cell). */
  private versionOf(uri: string): number | undefined {
    return this.env.documents.get(uri)?.version ?? this.env.notebooks.cellTextDocuments.get(uri)?.version;
  }

  private textOf(uri: string): string | undefined {
    const open = this.env.documents.get(uri) ?? this.env.notebooks.cellTextDocuments.get(uri);
    if (open) return open.getText();
    const p = uriToPath(uri);
    if (!p) return undefined;
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The record for `uri` if it is current: its version is the document's, and a notebook has not changed shape. */
  private current(uri: string): Published | undefined {
    const p = this.env.published.get(uri);
    if (!p || p.version !== this.versionOf(uri)) return undefined;
    if (p.unit.kind === 'notebook') {
      const nb = this.env.notebooks.getNotebookDocument(p.unit.notebookUri);
      if (!nb || nb.version !== p.unit.notebookVersion) return undefined;
    }
    return p;
  }

  provide(params: CodeActionParams): CodeAction[] {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const published = this.current(uri);
    if (!published) return actions;

    if (wants(only, CodeActionKind.QuickFix)) {
      const seen = new Set<string>();
      // Read when asked, so a model downloaded since the analysis is offered at once.
      const cache = new HubCache(this.env.settings.value.hfCache);
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code === PARSE_ERROR_CODE) continue;
        const hit = this.env.published.lookup(uri, diagnostic, this.versionOf(uri));
        if (!hit) continue;
        actions.push(...this.findingActions(hit.published, hit.entry, diagnostic, seen, cache));
      }
    }
    if (wants(only, FIX_ALL_KIND)) {
      const fixAll = this.fixAll(published);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private findingActions(published: Published, entry: PublishedFinding, diagnostic: Diagnostic, seen: Set<string>, cache: HubCache): CodeAction[] {
    const out: CodeAction[] = [];
    const { finding } = entry;
    const ruleId = finding.ruleId;
    // A Hub load first gets a pin to each commit of it in the Hugging Face cache, then the rule's own fixes.
    const cached = finding.hubPin ? cachedPinFixes(finding.hubPin, cache) : [];
    for (const fix of [...cached, ...(finding.fixes ?? [])]) {
      if (fix.clearOutputs && published.unit.kind === 'notebook') {
        const cell = fix.clearOutputs.cell;
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: fix.title, command: Commands.clearCellOutputs, arguments: [published.unit.notebookUri, cell, published.unit.cellUris[cell]] },
        };
        if (fix.edits.length) {
          const edits = this.fixEdits(published, entry, fix);
          if (!edits) continue;
          action.edit = toWorkspaceEdit(edits);
        }
        out.push(action);
        continue;
      }
      const edits = this.fixEdits(published, entry, fix);
      if (!edits || edits.size === 0) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: toWorkspaceEdit(edits) };
      if (fix.safety === 'safe') action.isPreferred = true;
      out.push(action);
    }

    // "Fix all <rule> in this file": offered when there is more than one finding of the rule to fix.
    if (!seen.has(`all:${ruleId}`)) {
      seen.add(`all:${ruleId}`);
      const candidates = published.findings.filter((f) => f.finding.ruleId === ruleId && firstApplicable(f.finding.fixes) !== undefined);
      if (candidates.length > 1) {
        const edits = this.combine(published, candidates, (f) => firstApplicable(f.finding.fixes));
        if (edits.size) {
          out.push({
            title: `Fix all ${ruleId} in this file`,
            kind: CodeActionKind.QuickFix,
            diagnostics: candidates.map((c) => c.diagnostic),
            edit: toWorkspaceEdit(edits),
          });
        }
      }
    }

    const ignore = this.ignoreEdit(published, entry);
    if (ignore) {
      const k = `ignore:${ruleId}:${ignore.uri}:${ignore.edit.range.start.line}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push({
          title: `Ignore ${ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: toWorkspaceEdit(new Map([[ignore.uri, [ignore.edit]]])),
        });
      }
    }

    if (!seen.has(`docs:${ruleId}`)) {
      seen.add(`docs:${ruleId}`);
      const title = `Show documentation for ${ruleId}`;
      out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: Commands.showRuleDocs, arguments: [ruleId] } });
    }
    return out;
  }

  /** `source.fixAll.airlock`: the first safe fix of every finding of the document, non-overlapping. */
  private fixAll(published: Published): CodeAction | undefined {
    const safe = (fixes: Fix[] | undefined) => fixes?.find((f) => f.safety === 'safe' && f.edits.length > 0 && !f.clearOutputs);
    const chosen = published.findings.filter((f) => safe(f.finding.fixes));
    if (!chosen.length) return undefined;
    const edits = this.combine(published, chosen, (f) => safe(f.finding.fixes));
    if (!edits.size) return undefined;
    return { title: 'Fix all safe Airlock issues', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(edits) };
  }

  /** One fix per finding, in document order, skipping a fix whose edits overlap those already taken. */
  private combine(published: Published, findings: PublishedFinding[], pick: (f: PublishedFinding) => Fix | undefined): Edits {
    const out: Edits = new Map();
    for (const f of findings) {
      const fix = pick(f);
      if (!fix) continue;
      const edits = this.fixEdits(published, f, fix);
      if (!edits) continue;
      let clash = false;
      for (const [uri, list] of edits) {
        const taken = out.get(uri) ?? [];
        if (list.some((e) => taken.some((t) => overlaps(e.range, t.range)))) clash = true;
      }
      if (clash) continue;
      for (const [uri, list] of edits) out.set(uri, [...(out.get(uri) ?? []), ...list]);
    }
    return out;
  }

  /** A fix's edits as LSP edits per document, or undefined when they no longer apply. */
  private fixEdits(published: Published, entry: PublishedFinding, fix: Fix): Edits | undefined {
    const unit = published.unit;
    const out: Edits = new Map();
    const add = (uri: string, edit: TextEdit) => out.set(uri, [...(out.get(uri) ?? []), edit]);
    for (const e of fix.edits) {
      const newText = fix.snippet ? snippetToText(e.newText) : e.newText;
      if (unit.kind === 'text') {
        if (!e.uri || e.uri === unit.uri) {
          add(unit.uri, { range: unit.positions.range(e.span.start, e.span.end), newText });
          continue;
        }
        // Another file of the project (a variable block into variables.tf): positions in its current text.
        const target = asUri(e.uri);
        const seen = unit.others.get(e.uri);
        const now = this.textOf(target);
        if (now === undefined) return undefined;
        let start = e.span.start;
        let end = e.span.end;
        if (seen !== undefined && seen !== now) {
          // It changed since the analysis: an append at its end still applies at the new end; nothing else does.
          if (!(start === end && start === seen.length)) return undefined;
          start = end = now.length;
        }
        add(target, { range: new Positions(now).range(start, end), newText });
      } else {
        const cell = e.span.cell ?? entry.finding.span.cell ?? 0;
        const cellUri = unit.cellUris[cell];
        if (!cellUri || this.versionOf(cellUri) !== unit.cellVersions[cell]) return undefined;
        add(cellUri, { range: unit.cellPositions[cell].range(e.span.start, e.span.end), newText });
      }
    }
    return out;
  }

  /** Where "Ignore <rule> on this line" writes, if the format has a way to say it. */
  private ignoreEdit(published: Published, entry: PublishedFinding): { uri: string; edit: TextEdit } | undefined {
    const unit = published.unit;
    const span = entry.finding.span;
    const id = entry.finding.ruleId;
    let edit: OffsetEdit | undefined;
    let positions: Positions;
    let uri: string;
    if (unit.kind === 'text') {
      const file = unit.file;
      positions = unit.positions;
      uri = unit.uri;
      if (isJsonText(unit.uri, positions.text)) {
        if (file.text !== positions.text) return undefined;
        if (file.format === 'cloudformation') edit = cloudFormationJsonIgnore(file, positions, span, id);
        else if (file.format === 'terraform-json') edit = terraformJsonIgnore(file, positions, span, id);
        else return undefined;
      } else {
        if (file.text === positions.text && insideMultilineLiteral(file, positions, span.start)) return undefined;
        const marker = file.format === 'text' ? lineCommentOf(unit.uri) : '#';
        if (marker === undefined) return undefined;
        edit = commentAbove(positions.text, positions, span.start, id, marker);
      }
    } else {
      if (span.output !== undefined || span.cell === undefined) return undefined;
      const cell = unit.file.cells?.[span.cell];
      if (cell?.kind !== 'code' || !/^(i?python\d*|py)$/i.test(cell.language)) return undefined;
      positions = unit.cellPositions[span.cell];
      uri = unit.cellUris[span.cell];
      edit = commentAbove(positions.text, positions, span.start, id);
    }
    if (!edit) return undefined;
    return { uri, edit: { range: positions.range(edit.start, edit.end), newText: edit.newText } };
  }
}

/** The fix "fix all of this rule" applies: the first that is not a suggestion and edits text. */
function firstApplicable(fixes: Fix[] | undefined): Fix | undefined {
  return fixes?.find((f) => f.safety !== 'suggestion' && f.edits.length > 0 && !f.clearOutputs);
}
