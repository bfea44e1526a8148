/**
 * The plain-text snapshot of a fixture's findings: per finding its rule id, severity, range, message,
 * related locations, fixes (title, kind, safety), the Hub repository a cached commit can pin and a code frame of the range — inside the cell (or the
 * cell's output) for notebooks. Everything in it comes from the fixture, so it is the same on every run.
 */
import path from 'node:path';
import { type Finding, LineIndex, type ParsedFile, type Span } from '../../core';

/** The text a span's offsets count in: the file, a notebook cell's source, or one of its outputs. */
export function textOfSpan(file: ParsedFile, span: Span): string {
  if (span.cell === undefined) return file.text;
  const cell = file.cells![span.cell];
  return span.output === undefined ? cell.source : cell.outputs[span.output].text;
}

/** `"L:C-L:C"`, 1-based, in the text the span counts in. */
export function rangeText(text: string, span: Span): string {
  const lines = new LineIndex(text);
  const s = lines.position(span.start);
  const e = lines.position(span.end);
  return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
}

/** Where a span lies: its range, after its cell and output for notebooks. */
function where(file: ParsedFile, span: Span): string {
  const inCell = span.cell === undefined ? '' : `cell ${span.cell}${span.output === undefined ? '' : ` output ${span.output}`} `;
  return `${inCell}${rangeText(textOfSpan(file, span), span)}`;
}

const WIDTH = 120;
/** A range over more lines than this shows its first and last lines around an ellipsis. */
const MAX_LINES = 6;

/**
 * The lines a span covers, numbered, each with carets under the covered part (one caret for an empty
 * range). Tabs show as one space so carets line up; lines longer than `WIDTH` show a window around the range.
 */
export function codeFrame(text: string, span: Span): string[] {
  const lines = new LineIndex(text);
  const first = lines.position(span.start).line;
  const last = lines.position(span.end).line;
  const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const shown = numbers.length > MAX_LINES ? [...numbers.slice(0, 2), -1, ...numbers.slice(-2)] : numbers;
  const gutter = String(last + 1).length;
  const out: string[] = [];
  for (const n of shown) {
    if (n < 0) {
      out.push(`${' '.repeat(gutter)} | ...`);
      continue;
    }
    const start = lines.lineStart(n);
    const content = text.slice(start, lines.lineEnd(n)).replace(/\t/g, ' ');
    const from = Math.max(span.start, start) - start;
    const to = Math.min(span.end, start + content.length) - start;
    const windowStart = content.length > WIDTH && from > WIDTH / 2 ? from - WIDTH / 4 : 0;
    const visible = content.slice(windowStart, windowStart + WIDTH);
    const prefix = windowStart > 0 ? '...' : '';
    const suffix = windowStart + WIDTH < content.length ? '...' : '';
    const caretFrom = prefix.length + from - windowStart;
    const carets = Math.max(1, Math.min(to, windowStart + WIDTH) - from);
    out.push(`${String(n + 1).padStart(gutter)} | ${prefix}${visible}${suffix}`.trimEnd());
    out.push(`${' '.repeat(gutter)} | ${' '.repeat(caretFrom)}${'^'.repeat(carets)}`);
  }
  return out;
}

export function renderSnapshot(file: ParsedFile, findings: readonly Finding[]): string {
  const blocks = findings.map((f) => {
    const lines = [`${f.ruleId} ${f.severity} ${where(file, f.span)}`, `  message: ${f.message}`];
    for (const r of f.related ?? []) {
      const local = !r.uri || r.uri === file.uri;
      const at = local ? where(file, r.span) : `${path.basename(r.uri!)} ${r.span.start}-${r.span.end}`;
      lines.push(`  related: ${at}: ${r.message}`);
    }
    for (const x of f.fixes ?? []) lines.push(`  fix (${x.kind}, ${x.safety}): ${x.title}`);
    if (f.hubPin) lines.push(`  hub pin: ${f.hubPin.repoType} ${f.hubPin.repo} at ${f.hubPin.ref}`);
    lines.push('', ...codeFrame(textOfSpan(file, f.span), f.span).map((l) => `  ${l}`));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
