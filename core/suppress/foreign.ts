import type { Format, MapNode, ParsedFile, Resource, Span } from '../model';
import { get, isList, isMap, str } from '../nodes';
import { LineIndex } from '../text';
import { type ForeignTool, rulesForCheck, SECRET_RULES } from './foreign-ids';
import { furthestBlockEnd, type Suppression } from './suppression';

/**
 * Other scanners' suppression markers, each honoured in the placement its own tool honours (see the README,
 * "Suppressions from other scanners"):
 * - checkov `checkov:skip=<ID>[:reason]`: a comment inside a Terraform block or CloudFormation resource covers it,
 *   one anywhere in a Dockerfile the whole file;
 *   `CKV_SECRET_*` on, just above or just below the line of the secret; CloudFormation `Metadata.checkov.skip`
 *   (`- id: ...`) and Kubernetes `checkov.io/skip<n>: <ID>[=reason]` annotations cover their resource.
 * - tfsec `tfsec:ignore:<id>` (Terraform) and Trivy `trivy:ignore:<id>` (Terraform, CloudFormation, Kubernetes /
 *   Helm YAML, Dockerfiles): on the offending line, or alone on the line above it (several such comment lines may stack); when
 *   that line opens a block, the whole block. `:exp:<date>` ends it; one with an attribute filter is not honoured.
 * - KICS `kics-scan ignore-line` (the next line), `ignore-block` (the block the next line opens),
 *   `disable=<query ids>` and `ignore` (the whole file).
 * - In Terraform's JSON syntax the same markers in a `"//"` property cover the object it is written in (`fromJsonComments`).
 * - detect-secrets `pragma: allowlist secret` (its line), `pragma: allowlist nextline secret` (the next line);
 *   gitleaks `gitleaks:allow` (its line); bandit `nosec` and ruff / flake8-bandit `noqa: S105` (their line).
 */

/** Whether a text may hold another scanner's marker: a quick test before the search for them. */
export const ANY_MARKER = /checkov:skip=|tfsec:ignore:|trivy:ignore:|kics-scan\s|nosec|noqa|pragma:\s*allowlist|gitleaks:allow/i;
const CHECKOV = /checkov:skip=([\w-]+)(?::([^\n]*))?/gi;
const AQUA = /\b(tfsec|trivy):ignore:([\w*.-]+)(\[[^\]\n]*\])?((?::(?:exp|ws):[^\s:]+)*)/gi;
const KICS = /kics-scan\s+(ignore-line|ignore-block|disable=([\w,-]+)|ignore\b)/i;
const DETECT_SECRETS = /pragma:\s*allowlist\s+(nextline\s+)?secret/i;
const NOSEC = /#\s*nosec\b:?\s*((?:B\d{3}[\s,]*)*)/i;
const NOQA = /#\s*noqa:\s*([A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)/i;
const STACKED = /^\s*(#|\/\/)\s*(tfsec|trivy):ignore:/i;
const COMMENT_START = /(^|[\s;,{}[\]])(#|\/\/|\/\*)/;

const IAC: readonly Format[] = ['terraform', 'cloudformation', 'kubernetes', 'dockerfile', 'compose', 'kustomize'];
const PYTHON: readonly Format[] = ['notebook', 'python', 'text'];

/** One text searched for markers: a file's text, or a notebook cell's source. */
interface Scope {
  file: ParsedFile;
  text: string;
  cell?: number;
  /** Spans of blocks a comment above them covers, sorted by start (computed when first needed). */
  blocks: () => Span[];
}

export function foreignSuppressionsOf(file: ParsedFile, blocks: () => Span[]): Suppression[] {
  const out: Suppression[] = [];
  if (file.format === 'notebook') {
    for (const cell of file.cells ?? []) {
      if (cell.kind === 'code' && ANY_MARKER.test(cell.source)) out.push(...fromText({ file, text: cell.source, cell: cell.index, blocks: () => [] }));
    }
    return out;
  }
  if (file.format === 'terraform-json') return ANY_MARKER.test(file.text) ? fromJsonComments(file) : out;
  if (ANY_MARKER.test(file.text)) out.push(...fromText({ file, text: file.text, blocks }));
  if (file.format === 'cloudformation') out.push(...fromCloudFormationMetadata(file.resources));
  if (file.format === 'kubernetes') out.push(...fromKubernetesAnnotations(file.resources));
  return out;
}

function fromText(scope: Scope): Suppression[] {
  const { text, cell, file } = scope;
  const lines = new LineIndex(text);
  const out: Suppression[] = [];
  const span = (start: number, end: number): Span => ({ start, end, cell });
  const lineSpan = (first: number, last = first) => span(lines.lineStart(first), lines.lineEnd(last));
  const lineText = (line: number) => text.slice(lines.lineStart(line), lines.lineEnd(line));
  /** `line` and, when a block starts on it, that block. */
  const withBlock = (from: number, line: number): Span => {
    const end = lines.lineEnd(line);
    const start = lines.lineStart(line);
    return span(lines.lineStart(from), furthestBlockEnd(scope.blocks(), start, end, end));
  };
  const push = (tool: ForeignTool, checks: { id: string; rules: string[] }[], covers: Span, at: Span, reason?: string) =>
    out.push({ ids: [...new Set(checks.flatMap((c) => c.rules))], checks, covers, at, tool, reason: reason?.trim() || undefined });
  const iac = IAC.includes(file.format);
  let done = -1;
  const any = new RegExp(ANY_MARKER.source, 'gi');
  for (const hit of text.matchAll(any)) {
    const line = lines.position(hit.index).line;
    if (line === done) continue;
    done = line;
    const ls = lines.lineStart(line);
    const body = lineText(line);
    const comment = COMMENT_START.exec(body);
    const commentAt = comment ? comment.index + comment[1].length : -1;
    const alone = commentAt >= 0 && body.slice(0, commentAt).trim() === '';
    const inComment = (i: number) => commentAt >= 0 && i >= commentAt;
    const at = (i: number, length: number) => span(ls + i, ls + i + length);

    if (/gitleaks:allow/i.test(body)) {
      const i = body.search(/gitleaks:allow/i);
      push('gitleaks', [{ id: 'gitleaks:allow', rules: [...SECRET_RULES] }], lineSpan(line), at(i, 14));
    }
    const ds = DETECT_SECRETS.exec(body);
    if (ds && inComment(ds.index)) {
      const next = !!ds[1];
      push('detect-secrets', [{ id: ds[0], rules: [...SECRET_RULES] }], next ? lineSpan(line + 1) : lineSpan(line), at(ds.index, ds[0].length));
    }
    if (PYTHON.includes(file.format)) {
      const nosec = NOSEC.exec(body);
      if (nosec && inComment(nosec.index)) {
        const codes = nosec[1].split(/[\s,]+/).filter(Boolean);
        const checks = codes.length ? codes.map((id) => ({ id, rules: rulesForCheck('bandit', id) })) : [{ id: 'nosec', rules: [...SECRET_RULES] }];
        push('bandit', checks, lineSpan(line), at(nosec.index, nosec[0].trimEnd().length));
      }
      const noqa = NOQA.exec(body);
      // Only flake8-bandit codes are about what Airlock checks; other linters' codes are none of its business.
      const codes = noqa && inComment(noqa.index) ? noqa[1].split(/[\s,]+/).filter((c) => /^S\d+$/i.test(c)) : [];
      if (noqa && codes.length)
        push(
          'ruff',
          codes.map((id) => ({ id, rules: rulesForCheck('ruff', id) })),
          lineSpan(line),
          at(noqa.index, noqa[0].length),
        );
    }
    for (const m of body.matchAll(CHECKOV)) {
      if (!inComment(m.index)) continue;
      const id = m[1];
      const check = [{ id, rules: rulesForCheck('checkov', id) }];
      if (/^CKV_SECRET_/i.test(id)) push('checkov', check, lineSpan(Math.max(0, line - 1), line + 1), at(m.index, m[0].length), m[2]);
      else if (file.format === 'terraform' || file.format === 'cloudformation') {
        const r = enclosing(file.resources, ls + m.index);
        if (r) push('checkov', check, r.span, at(m.index, m[0].length), m[2]);
      } else if (file.format === 'dockerfile') push('checkov', check, span(0, Infinity), at(m.index, m[0].length), m[2]);
    }
    if (iac) {
      for (const m of body.matchAll(AQUA)) {
        const tool = m[1].toLowerCase() as ForeignTool;
        if (!inComment(m.index) || m[3] || (tool === 'tfsec' && file.format !== 'terraform') || expired(m[4])) continue;
        let target = line;
        // Ignore comments stacked on the lines above a block all apply to it.
        if (alone) while (target + 1 < lines.lineCount && STACKED.test(lineText(target + 1))) target++;
        push(tool, [{ id: m[2], rules: rulesForCheck(tool, m[2]) }], withBlock(line, alone ? target + 1 : line), at(m.index, m[0].length));
      }
      const kics = KICS.exec(body);
      if (kics && inComment(kics.index)) {
        const where = at(kics.index, kics[0].length);
        const all = [{ id: `kics-scan ${kics[1]}`, rules: ['*'] }];
        if (kics[1] === 'ignore-line') push('kics', all, lineSpan(line + 1), where);
        else if (kics[1] === 'ignore-block') push('kics', all, withBlock(line + 1, line + 1), where);
        else if (kics[1] === 'ignore') push('kics', all, span(0, Infinity), where);
        else
          push(
            'kics',
            kics[2]
              .split(',')
              .filter(Boolean)
              .map((id) => ({ id, rules: rulesForCheck('kics', id) })),
            span(0, Infinity),
            where,
          );
      }
    }
  }
  return out;
}

/**
 * Terraform's JSON syntax has no comments but `"//"` properties, each covering the object it is written in
 * (`ParsedFile.comments`): a marker there is honoured as in a `.tf` comment on the lines of that object —
 * `checkov:skip` covers the resource around it (`CKV_SECRET_*` the object alone), `tfsec:ignore` /
 * `trivy:ignore` and KICS `ignore-line` / `ignore-block` the object, KICS `disable=` and `ignore` the file.
 */
function fromJsonComments(file: ParsedFile): Suppression[] {
  const out: Suppression[] = [];
  const push = (tool: ForeignTool, checks: { id: string; rules: string[] }[], covers: Span, at: Span, reason?: string) =>
    out.push({ ids: [...new Set(checks.flatMap((c) => c.rules))], checks, covers, at, tool, reason: reason?.trim() || undefined });
  for (const c of file.comments) {
    const covers = c.covers;
    if (!covers || !ANY_MARKER.test(c.text)) continue;
    for (const m of c.text.matchAll(CHECKOV)) {
      const check = [{ id: m[1], rules: rulesForCheck('checkov', m[1]) }];
      const resource = /^CKV_SECRET_/i.test(m[1]) ? undefined : enclosing(file.resources, c.span.start);
      push('checkov', check, resource?.span ?? covers, c.span, m[2]);
    }
    for (const m of c.text.matchAll(AQUA)) {
      const tool = m[1].toLowerCase() as ForeignTool;
      if (!m[3] && !expired(m[4])) push(tool, [{ id: m[2], rules: rulesForCheck(tool, m[2]) }], covers, c.span);
    }
    const kics = KICS.exec(c.text);
    if (!kics) continue;
    const whole = kics[1] === 'ignore' || kics[2] !== undefined;
    const checks = kics[2]
      ? kics[2]
          .split(',')
          .filter(Boolean)
          .map((id) => ({ id, rules: rulesForCheck('kics', id) }))
      : [{ id: `kics-scan ${kics[1]}`, rules: ['*'] }];
    push('kics', checks, whole ? { start: 0, end: Infinity } : covers, c.span);
  }
  return out;
}

/** The innermost resource whose span holds `offset`. */
function enclosing(resources: readonly Resource[], offset: number): Resource | undefined {
  let best: Resource | undefined;
  for (const r of resources) {
    if (offset < r.span.start || offset > r.span.end) continue;
    if (!best || r.span.end - r.span.start < best.span.end - best.span.start) best = r;
  }
  return best;
}

/** tfsec's and Trivy's `:exp:yyyy-mm-dd`: past that day the marker no longer applies. */
function expired(qualifiers: string | undefined): boolean {
  const exp = /:exp:(\d{4}-\d{2}-\d{2})/.exec(qualifiers ?? '');
  return !!exp && exp[1] < new Date().toISOString().slice(0, 10);
}

/** CloudFormation `Metadata: { checkov: { skip: [{ id, comment }] } }` on a resource. */
function fromCloudFormationMetadata(resources: readonly Resource[]): Suppression[] {
  const out: Suppression[] = [];
  for (const r of resources) {
    const skip = get(get(get(r.raw, 'Metadata'), 'checkov'), 'skip');
    if (!isList(skip)) continue;
    for (const item of skip.items) {
      const id = isMap(item) ? str(get(item, 'id')) : undefined;
      if (!id) continue;
      const rules = rulesForCheck('checkov', id);
      out.push({ ids: rules, checks: [{ id, rules }], covers: r.span, at: item.span, tool: 'checkov', reason: str(get(item, 'comment')) });
    }
  }
  return out;
}

/** Kubernetes `metadata.annotations` `checkov.io/skip<n>: <ID>[=<reason>]` on an object. */
function fromKubernetesAnnotations(resources: readonly Resource[]): Suppression[] {
  const out: Suppression[] = [];
  for (const r of resources) {
    const annotations = get(get(r.body, 'metadata'), 'annotations') as MapNode | undefined;
    if (!isMap(annotations)) continue;
    for (const e of annotations.entries) {
      const value = /^checkov\.io\/skip\d*$/.test(e.key) ? str(e.value) : undefined;
      if (!value) continue;
      const [id, ...reason] = value.split('=');
      const rules = rulesForCheck('checkov', id.trim());
      out.push({
        ids: rules,
        checks: [{ id: id.trim(), rules }],
        covers: r.span,
        at: e.value.span,
        tool: 'checkov',
        reason: reason.join('=').trim() || undefined,
      });
    }
  }
  return out;
}
