import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findingIdentities } from '../baseline/identity';
import { snippetToText, toFileEdit } from '../fix';
import type { ParsedFile, Span } from '../model';
import type { Finding, Fix } from '../rule';
import type { RuleFailure } from '../runner';
import { lineIndexOf, type LineIndex } from '../text';
import type { Region, ReportEdit, ReportFinding, ReportFix, ReportProblem, ReportRelated } from './types';

/**
 * From the engine's model (offsets, cell-relative spans) to report coordinates (paths relative to the
 * scan root, 1-based lines and columns in the file's own text). Needs the parsed file, so it runs where
 * the file was analysed (a worker thread, or the language server).
 */

/** A file path or a `file://` URI to an absolute path. */
export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** `uri` relative to `root`, with `/` separators. */
export function relativePath(root: string, uri: string): string {
  const rel = path.relative(root, uriToPath(uri));
  return (rel || path.basename(uri)).split(path.sep).join('/');
}

/** One line, at most `max` characters: messages from parsers and exceptions may carry more than we want. */
export function oneLine(message: string, max = 200): string {
  const first = String(message ?? '')
    .split(/\r?\n/, 1)[0]
    .trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** `lines` from `lineIndexOf`: texts are compared by identity first, and a notebook's index is built once for all its findings. */
function regionOf(lines: LineIndex, start: number, end: number): Region {
  const s = lines.position(start);
  const e = lines.position(Math.max(start, end));
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/** The text a span's offsets are into: the file, a notebook cell's source, or one of its outputs. */
function spanText(file: ParsedFile, span: Span): string | undefined {
  if (span.cell === undefined) return file.text;
  const cell = byIndex(file.cells ?? [], span.cell);
  if (!cell) return undefined;
  if (span.output === undefined) return cell.source;
  return byIndex(cell.outputs, span.output)?.text;
}

/** The item whose `index` is `index`: usually at that position (a search per finding was quadratic in a notebook's cells). */
function byIndex<T extends { index: number }>(items: readonly T[], index: number): T | undefined {
  const at = items[index];
  return at?.index === index ? at : items.find((item) => item.index === index);
}

export function fileRegion(file: ParsedFile, span: Span): Region {
  let s: Span;
  try {
    s = span.cell === undefined ? span : file.toFileSpan(span);
  } catch {
    s = { start: 0, end: 0 };
  }
  return regionOf(lineIndexOf(file.text), s.start, s.end);
}

/**
 * Context a fingerprint hashes on each side of the flagged range, within its line. A source line is shorter;
 * a minified template or a long command line is not, and hashing all of it for each of its findings made
 * the report quadratic in the line's length.
 */
const FINGERPRINT_CONTEXT = 512;

export function fingerprintOf(ruleId: string, relPath: string, file: ParsedFile, span: Span): string {
  const text = spanText(file, span) ?? '';
  const li = lineIndexOf(text);
  const line = li.position(span.start).line;
  const lineStart = Math.max(li.lineStart(line), span.start - FINGERPRINT_CONTEXT);
  const lineEnd = li.lineEnd(line);
  const cutEnd = Math.min(Math.max(span.end, span.start), lineEnd);
  const contextEnd = Math.min(lineEnd, cutEnd + FINGERPRINT_CONTEXT);
  // The flagged range (a secret, a CIDR) is cut out: the hash never depends on the flagged value.
  const redacted = (text.slice(lineStart, span.start) + text.slice(cutEnd, contextEnd)).trim();
  return createHash('sha256').update(`${ruleId}\0${relPath}\0${redacted}`).digest('hex');
}

export interface ConvertContext {
  /** Scan root: report paths are relative to it. */
  root: string;
  /** Other files of the project, for related locations and edits in another file. */
  resolve?: (uri: string) => ParsedFile | undefined;
}

function otherFile(ctx: ConvertContext, file: ParsedFile, uri: string | undefined): ParsedFile | undefined {
  if (!uri || uri === file.uri) return file;
  return ctx.resolve?.(uri) ?? ctx.resolve?.(uriToPath(uri));
}

function convertFix(fix: Fix, file: ParsedFile, ctx: ConvertContext): ReportFix {
  const out: ReportFix = { title: fix.title, safety: fix.safety };
  if (fix.clearOutputs || fix.edits.length === 0) return out;
  const edits: ReportEdit[] = [];
  for (const edit of fix.edits) {
    const target = otherFile(ctx, file, edit.uri);
    const relPath = relativePath(ctx.root, edit.uri ?? file.uri);
    if (target === file) {
      const fe = toFileEdit(file, edit, fix.snippet);
      edits.push({ path: relPath, ...regionOf(lineIndexOf(file.text), fe.start, fe.end), newText: fe.newText });
    } else if (target) {
      const text = fix.snippet ? snippetToText(edit.newText) : edit.newText;
      edits.push({ path: relPath, ...regionOf(lineIndexOf(target.text), edit.span.start, edit.span.end), newText: text });
    } else if (edit.span.start === 0 && edit.span.end === 0) {
      // A file that is not part of the scan (often one the fix creates): insert at its start.
      const text = fix.snippet ? snippetToText(edit.newText) : edit.newText;
      edits.push({ path: relPath, line: 1, column: 1, endLine: 1, endColumn: 1, newText: text });
    } else {
      return out;
    }
  }
  out.edits = edits;
  return out;
}

/** Where a notebook span is: its cell, and its line in the cell's source or in one of its outputs. */
export function notebookPosition(file: ParsedFile, span: Span): Pick<ReportFinding, 'cell' | 'cellLine' | 'output' | 'outputLine'> {
  const out: Pick<ReportFinding, 'cell' | 'cellLine' | 'output' | 'outputLine'> = { cell: span.cell };
  const text = spanText(file, span);
  const line = text === undefined ? undefined : lineIndexOf(text).position(span.start).line + 1;
  if (span.output === undefined) {
    if (line !== undefined) out.cellLine = line;
  } else {
    out.output = span.output;
    if (line !== undefined) out.outputLine = line;
  }
  return out;
}

/** Report findings of one analysed file. */
export function convertFindings(file: ParsedFile, findings: readonly Finding[], ctx: ConvertContext): ReportFinding[] {
  const relPath = relativePath(ctx.root, file.uri);
  const identities = findingIdentities(file, findings, relPath);
  return findings.map((f, i) => {
    const out: ReportFinding = {
      ruleId: f.ruleId,
      family: f.family,
      severity: f.severity,
      message: f.message,
      path: relPath,
      ...fileRegion(file, f.span),
      fingerprint: fingerprintOf(f.ruleId, relPath, file, f.span),
      identity: identities[i],
    };
    if (f.span.cell !== undefined) Object.assign(out, notebookPosition(file, f.span));
    if (f.related?.length) {
      out.related = f.related.map((r): ReportRelated => {
        const target = otherFile(ctx, file, r.uri);
        const loc: ReportRelated = { path: relativePath(ctx.root, r.uri ?? file.uri), message: r.message };
        return target ? { ...loc, ...fileRegion(target, r.span) } : loc;
      });
    }
    if (f.fixes?.length) out.fixes = f.fixes.map((fix) => convertFix(fix, file, ctx));
    return out;
  });
}

/** Parse problems of a file (warnings: the rest of the file is still analysed). */
export function convertParseProblems(file: ParsedFile, root: string): ReportProblem[] {
  const relPath = relativePath(root, file.uri);
  return file.problems.map((p) => ({
    kind: 'parse',
    level: 'warning',
    path: relPath,
    ...fileRegion(file, p.span),
    message: oneLine(p.message),
  }));
}

/** Rules that threw on a file (errors: a rule did not run there). */
export function convertRuleFailures(file: ParsedFile, failures: readonly RuleFailure[], root: string): ReportProblem[] {
  const relPath = relativePath(root, file.uri);
  return failures.map((f) => ({ kind: 'rule', level: 'error', path: relPath, ruleId: f.ruleId, message: oneLine(f.message) }));
}
