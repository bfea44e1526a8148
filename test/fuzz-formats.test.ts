/**
 * The whole scan of one file, as `airlock scan` runs it (parse, every rule, conversion to a report, the
 * text, JSON and SARIF writers), over seeded mutations of every rule fixture of every format: byte flips,
 * inserted characters and random bytes, truncations, deleted and duplicated lines, deeply nested brackets.
 * For each mutation:
 * - nothing throws, no rule fails, no file fails as a whole;
 * - no report text holds a secret the fixture contains (findings are masked);
 * - a token-format secret found in the fixture whose lines the mutation left alone is still found, or the
 *   file carries a problem note saying why it could not be read the same way. (Only token formats: the
 *   structural secret rules depend on other lines too — a Compose service's image, where a CloudFormation
 *   parameter is used, a manifest's kind — which a mutation may change without anything being wrong.)
 * test/fuzz.test.ts checks the engine alone (spans in bounds) on more, simpler mutations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../core/config';
import { formatJson, formatSarif, formatText, INFORMATION_URI, reportRule, summarize, TOOL_NAME, type ReportFinding, type ScanReport } from '../core/report';
import { scanUnit, type FileResult } from '../cli/unit';
import { RULES } from '../rules';
import { files, prng } from './fuzz-support';

const ROOT = path.resolve(__dirname, '..');
const CONFIG: Config = { rules: { '*': 'on' }, ignore: [], maxFileSize: 1e9 };
const REPORT_RULES = RULES.map(reportRule);
const SEED = 20_251_206;
/** The rule that finds token-format secrets in any text, whatever the file's structure. */
const TOKEN_RULE = 'secret/known-token';
/** Shortest flagged text taken for a secret (shorter ones occur by chance elsewhere in a report). */
const MIN_SECRET = 8;

interface Mutation {
  name: string;
  text: string;
  /** 0-based lines of the original the mutation touched: `[first, last]`, `last` Infinity for "to the end". */
  touched: [number, number];
}

const UNICODE = ['\u0000', '\u00a0', '\u200b', '\u202e', '\ufeff', '\ufffd', '😀', 'é', '\u2028', '\ud800', '\x1b[2K'];
const FLIPS = ['"', "'", '{', '}', '[', ']', ':', ',', '\n', '\t', '\\', '#', '$', '-', ' '];

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Brackets nested `depth` deep in the file's own syntax, as a line of its own. */
function nesting(file: string, depth: number): string {
  if (file.endsWith('.tf') || file.endsWith('.tfvars')) return `nested = ${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (file.endsWith('.json') || file.endsWith('.ipynb')) return `"nested": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},`;
  if (file.endsWith('.yaml') || file.endsWith('.yml')) return `nested: ${'['.repeat(depth)}${']'.repeat(depth)}`;
  return `${'('.repeat(depth)}${')'.repeat(depth)}`;
}

function mutations(file: string, text: string, rand: () => number): Mutation[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const offset = () => Math.floor(rand() * text.length);
  const lines = text.split('\n');
  const lineIndex = () => Math.floor(rand() * lines.length);
  const out: Mutation[] = [];
  for (let i = 0; i < 2; i++) {
    const p = offset();
    out.push({ name: `flip@${p}`, text: text.slice(0, p) + pick(FLIPS) + text.slice(p + 1), touched: [lineAt(text, p), lineAt(text, p)] });
  }
  for (let i = 0; i < 2; i++) {
    const p = offset();
    out.push({ name: `unicode@${p}`, text: text.slice(0, p) + pick(UNICODE) + text.slice(p), touched: [lineAt(text, p), lineAt(text, p)] });
  }
  const spliced = offset();
  let bytes = '';
  for (let i = 0; i < 16; i++) bytes += String.fromCharCode(Math.floor(rand() * 256));
  out.push({ name: `bytes@${spliced}`, text: text.slice(0, spliced) + bytes + text.slice(spliced), touched: [lineAt(text, spliced), lineAt(text, spliced)] });
  const cut = offset();
  out.push({ name: `truncate@${cut}`, text: text.slice(0, cut), touched: [lineAt(text, cut), Infinity] });
  const dropped = lineIndex();
  out.push({ name: `delete-line@${dropped}`, text: lines.filter((_, i) => i !== dropped).join('\n'), touched: [dropped, dropped] });
  const doubled = lineIndex();
  out.push({ name: `duplicate-line@${doubled}`, text: lines.flatMap((l, i) => (i === doubled ? [l, l] : [l])).join('\n'), touched: [doubled, doubled] });
  const nested = lineIndex();
  out.push({
    name: `nesting@${nested}`,
    text: [...lines.slice(0, nested), nesting(file, 2000), ...lines.slice(nested)].join('\n'),
    touched: [Math.max(0, nested - 1), nested],
  });
  return out;
}

/** A scan report of one file's result, as `runScan` builds it. */
function reportOf(result: FileResult): ScanReport {
  const skipped = result.skipped ? [result.skipped] : [];
  return {
    tool: { name: TOOL_NAME, version: '0.0.0', informationUri: INFORMATION_URI },
    root: ROOT,
    rules: REPORT_RULES,
    findings: result.findings,
    problems: result.problems,
    skipped,
    maxFileSize: CONFIG.maxFileSize,
    summary: summarize({
      filesScanned: result.status === 'scanned' ? 1 : 0,
      findings: result.findings,
      problems: result.problems,
      skipped,
      suppressed: result.suppressed,
      threshold: 'warning',
    }),
  };
}

/**
 * The text a finding's range covers (lines and columns are 1-based, columns in UTF-16 units; a line ends at `\n`,
 * `\r\n` or a lone `\r`, as the engine counts lines).
 */
function flagged(text: string, f: ReportFinding): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const at = (line: number, column: number) => (starts[line - 1] ?? text.length) + column - 1;
  return text.slice(at(f.line, f.column), at(f.endLine, f.endColumn));
}

async function scan(uri: string, text: string): Promise<FileResult> {
  const results = await scanUnit([{ uri, text }], { root: ROOT, config: CONFIG, rules: RULES });
  expect(results).toHaveLength(1);
  return results[0];
}

function isSecret(f: ReportFinding): boolean {
  return f.family === 'secret';
}

const fixtures = files(path.join(ROOT, 'rules')).filter((f) => f.includes(`${path.sep}fixtures${path.sep}`) && !f.endsWith('expected.json'));

describe('mutated fixtures through the whole scan', () => {
  it.each(fixtures.map((f) => [path.relative(ROOT, f), f]))('%s', async (name, file) => {
    const text = readFileSync(file, 'utf8');
    const original = await scan(file, text);
    const secrets = original.findings
      .filter(isSecret)
      .map((f) => ({ finding: f, literal: flagged(text, f) }))
      // A secret that is one plain word (a workflow's `password`, run as written) is also in every report's rule descriptions.
      .filter((s) => s.literal.trim().length >= MIN_SECRET && !/^[a-z]+$/i.test(s.literal.trim()));
    let seed = SEED;
    for (const ch of name) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
    for (const m of mutations(file, text, prng(seed))) {
      const where = `${name} (${m.name})`;
      const result = await scan(file, m.text);
      expect(result.status, `${where}: the file failed: ${result.problems.map((p) => p.message).join('; ')}`).not.toBe('failed');
      expect(
        result.problems.filter((p) => p.kind === 'rule'),
        `${where}: a rule failed`,
      ).toEqual([]);

      const report = reportOf(result);
      const outputs = [formatText(report), formatJson(report), formatSarif(report)];
      for (const s of secrets) {
        for (const out of outputs) expect(out.includes(s.literal), `${where}: a report echoes the secret of ${s.finding.ruleId}`).toBe(false);
      }

      const problems = result.problems.length > 0;
      if (problems) continue;
      const found = new Set(result.findings.filter(isSecret).map((f) => `${f.ruleId} ${flagged(m.text, f)}`));
      for (const s of secrets) {
        if (s.finding.ruleId !== TOKEN_RULE) continue;
        const untouched = s.finding.endLine - 1 < m.touched[0] || s.finding.line - 1 > m.touched[1];
        if (!untouched) continue;
        expect(found.has(`${s.finding.ruleId} ${s.literal}`), `${where}: ${s.finding.ruleId} at line ${s.finding.line} lost without a problem note`).toBe(true);
      }
    }
  });
});
