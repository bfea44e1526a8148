import type { Comment, Span } from '../../model';

/**
 * Go-template actions of a Helm template (`{{ }}`, `{{- -}}` and `{{/*` comments) masked in place, so the YAML
 * parser reads the template with every offset kept:
 * - an action that stands for a value inside a line (`image: "{{ .Values.image.repository }}"`) becomes a
 *   placeholder of the same width (`_`), which the adapter turns back into a reference;
 * - comments, control actions (`if`, `else`, `with`, `range`, `define`, `block`, `end`, `$x := ...`) and
 *   the text of `define` blocks (named snippets, not YAML of this file) become spaces;
 * - a line holding only actions (`{{- include "x.labels" . | nindent 4 }}`, `{{ toYaml .Values.x | indent 2 }}`)
 *   stands for lines of YAML that are not known here: it is blanked, and the key above it reads as empty; so is an
 *   action ending in `nindent` after a key (`labels: {{- include "x.labels" . | nindent 4 }}`);
 * Only the first branch of an `if`/`with`/`range` with an `else` is read: the others are blanked (two branches
 * would write the same key twice, or a list and a scalar). Line breaks are never replaced.
 * One pass over the text: linear time.
 */

export interface TemplateAction {
  /** The whole action, `{{` to `}}`. */
  span: Span;
  /** The pipeline, without delimiters, trim markers and surrounding spaces: `.Values.image.tag | default "x"`. */
  pipeline: string;
}

export interface MaskedTemplate {
  /** The text the YAML parser reads: same length and line breaks as the template. */
  text: string;
  /** The value actions left as placeholders, sorted by start. */
  values: TemplateAction[];
  /** Template comments, their text without the `{{/*` and closing delimiters. */
  comments: Comment[];
  /** Where an action opens and is never closed (the rest of the text is masked). */
  unclosed?: number;
  /** The first masked character of each line that masking left blank (`commentBlankLines`). */
  blankLines: number[];
}

const TEXT = 0;
const BLANK = 1;
const VALUE = 2;

/**
 * A pipeline that ends in `nindent N` starts what it renders on a new line: after a key (Bitnami's
 * `labels: {{- include "common.labels.standard" ... | nindent 4 }}`, followed by more entries of the same map) it
 * stands for lines of a block, never for the key's scalar.
 */
const RENDERS_LINES = /\|\s*nindent\s+\d+$/;

const OPENERS = new Set(['if', 'with', 'range', 'define', 'block']);
const CONTROL = new Set(['if', 'with', 'range', 'define', 'block', 'else', 'end', 'break', 'continue']);

interface Scanned {
  start: number;
  end: number;
  /** Content between the delimiters, trim markers removed. */
  inner: string;
  comment: boolean;
}

/** The end (after `}}`) of the action opening at `start`, honouring strings and comments; -1 when unclosed. */
function actionEnd(text: string, start: number): number {
  let i = start + 2;
  if (text.charCodeAt(i) === 45 /* - */) i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) i++;
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    if (close < 0) return -1;
    const end = text.indexOf('}}', close + 2);
    return end < 0 ? -1 : end + 2;
  }
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 125 /* } */ && text.charCodeAt(i + 1) === 125) return i + 2;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      // An interpreted string or a rune literal: `\` escapes; a line break ends a broken one.
      i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10) i += text.charCodeAt(i) === 92 ? 2 : 1;
      i++;
      continue;
    }
    if (c === 96 /* ` */) {
      const close = text.indexOf('`', i + 1);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}

function innerOf(text: string, start: number, end: number): string {
  let a = start + 2;
  let b = end - 2;
  if (text.charCodeAt(a) === 45) a++;
  if (b > a && text.charCodeAt(b - 1) === 45 && /\s/.test(text[b - 2] ?? '')) b--;
  return text.slice(a, b).trim();
}

function firstWord(inner: string): string {
  const m = /^[A-Za-z]+/.exec(inner);
  return m ? m[0] : '';
}

function scan(text: string): { actions: Scanned[]; unclosed?: number } {
  const actions: Scanned[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return { actions };
    const end = actionEnd(text, start);
    if (end < 0) return { actions, unclosed: start };
    const inner = innerOf(text, start, end);
    actions.push({ start, end, inner, comment: inner.startsWith('/*') });
    from = end;
  }
}

export function maskTemplate(text: string): MaskedTemplate {
  const { actions, unclosed } = scan(text);
  const marks = new Uint8Array(text.length);
  const comments: Comment[] = [];
  // Openers not yet closed (with where their `else` starts), and the start of the outermost open `define`.
  const open: { word: string; elseAt: number }[] = [];
  let defineStart = -1;
  for (const a of actions) {
    const word = firstWord(a.inner);
    let kind = VALUE;
    if (a.comment) {
      kind = BLANK;
      comments.push({ span: { start: a.start, end: a.end }, text: a.inner.replace(/^\/\*|\*\/$/g, '') });
    } else if (RENDERS_LINES.test(a.inner)) {
      kind = BLANK;
    } else if (CONTROL.has(word) || /^\$\w*\s*:?=/.test(a.inner)) {
      kind = BLANK;
      const top = open[open.length - 1];
      if (OPENERS.has(word)) {
        open.push({ word, elseAt: -1 });
        if ((word === 'define' || word === 'block') && defineStart < 0) defineStart = a.start;
      } else if (word === 'else' && top && top.elseAt < 0) top.elseAt = a.start;
      else if (word === 'end' && top) {
        open.pop();
        // Only the first branch is read: two branches would write the same keys, or a list and a scalar.
        if (top.elseAt >= 0) marks.fill(BLANK, top.elseAt, a.end);
        if (defineStart >= 0 && !open.some((o) => o.word === 'define' || o.word === 'block')) {
          marks.fill(BLANK, defineStart, a.end);
          defineStart = -1;
        }
      }
    }
    if (defineStart < 0 || kind === BLANK) marks.fill(kind, a.start, a.end);
  }
  if (defineStart >= 0) marks.fill(BLANK, defineStart);
  if (unclosed !== undefined) marks.fill(BLANK, unclosed);
  const blankLines = blankActionOnlyLines(text, marks);
  const values: TemplateAction[] = [];
  for (const a of actions) {
    if (marks[a.start] === VALUE) values.push({ span: { start: a.start, end: a.end }, pipeline: a.inner });
  }
  return { text: render(text, marks), values, comments, unclosed, blankLines };
}

/**
 * A line with actions and no text of its own stands for YAML lines not known here: blanked. Returns the first
 * masked character of every line left blank.
 */
function blankActionOnlyLines(text: string, marks: Uint8Array): number[] {
  const blank: number[] = [];
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    let hasText = false;
    let hasValue = false;
    let firstMasked = -1;
    for (let i = lineStart; i < lineEnd; i++) {
      const m = marks[i];
      if (m !== TEXT && firstMasked < 0) firstMasked = i;
      if (m === VALUE) hasValue = true;
      else if (m === TEXT) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 13) hasText = true;
      }
    }
    if (hasValue && !hasText) {
      for (let i = lineStart; i < lineEnd; i++) if (marks[i] === VALUE) marks[i] = BLANK;
    }
    if (!hasText && firstMasked >= 0 && text.charCodeAt(firstMasked) !== 13) blank.push(firstMasked);
    lineStart = lineEnd + 1;
  }
  return blank;
}

/**
 * The masked text with each blanked line turned into a comment (`#` where its first action was). `yaml` refuses
 * a key that follows more than 1024 characters of blank lines at a lower indentation, which a long blanked
 * `if` branch makes; a comment line is not counted. Inside a block scalar a comment would be text, or end
 * the scalar when less indented: so this is the second reading, used when the first fails.
 */
export function commentBlankLines(masked: MaskedTemplate): string {
  if (masked.blankLines.length === 0) return masked.text;
  const parts: string[] = [];
  let at = 0;
  for (const i of masked.blankLines) {
    parts.push(masked.text.slice(at, i), '#');
    at = i + 1;
  }
  parts.push(masked.text.slice(at));
  return parts.join('');
}

function render(text: string, marks: Uint8Array): string {
  const parts: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const m = marks[i];
    let j = i + 1;
    while (j < n && marks[j] === m) j++;
    if (m === TEXT) parts.push(text.slice(i, j));
    else parts.push(text.slice(i, j).replace(/[^\r\n]/g, m === VALUE ? '_' : ' '));
    i = j;
  }
  return parts.join('');
}
