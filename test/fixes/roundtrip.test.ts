/**
 * Fix round-trip on every positive fixture of every rule, as written and in layout variants (CRLF, tabs,
 * four spaces, minified JSON, flow-style YAML; see `variants.ts`): each fix alone, and the safe fixes together as
 * `source.fixAll` picks them, must leave a file that re-parses without new problems, drop the finding it
 * fixes (suggestions excepted: they leave a placeholder for a person), keep the file's line endings and
 * indentation, change nothing outside its edits, and leave nothing for a second fix-all to change. A fix
 * must also write what it writes on the fixture as written, up to layout (or the same data, for minified
 * JSON and flow-style YAML).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, applyEdits, type FileEdit, fileEditsOf, type Finding, parseFile, Project, type Rule } from '../../core';
import { RULES } from '../../rules';
import { type Variant, variantsOf } from './variants';

const root = path.resolve(__dirname, '..', '..', 'rules');

/** Every rule runs, as in an editor: fix-all combines the fixes of all rules in the file. */
const config = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'on' as const])), ignore: [], maxFileSize: 1e9 };

async function run(rule: Rule, name: string, text: string) {
  const file = await parseFile(path.join('/fixtures', rule.id, name), text);
  const { findings, failures } = await analyze(file, { rules: RULES, config, project: new Project([file]) });
  if (failures.length) throw new Error(`${rule.id} ${name}: ${failures.map((f) => `${f.ruleId}: ${f.message}`).join('; ')}`);
  return { file, findings };
}
type Run = Awaited<ReturnType<typeof run>>;

/** `source.fixAll`: the first safe fix of each finding, in order, skipping a fix that overlaps one taken. */
function fixAllEdits({ file, findings }: Run): FileEdit[] {
  const taken: FileEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.safety === 'safe' && x.edits.length > 0 && !x.clearOutputs);
    if (!fix) continue;
    const edits = fileEditsOf(file, [fix]);
    if (edits.some((e) => taken.some((t) => e.start < t.end && t.start < e.end))) continue;
    taken.push(...edits);
  }
  return taken;
}

const key = (f: Finding) => `${f.ruleId}: ${f.message}`;

function counts(findings: Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(key(f), (out.get(key(f)) ?? 0) + 1);
  return out;
}

/**
 * What is wrong with `fixed`, made from `variant.text` by `edits`: a text change outside the edits, a line
 * ending or indentation the file does not use on a line the edits wrote.
 */
function layoutErrors(variant: Variant, fixed: string, edits: FileEdit[]): string[] {
  const errors: string[] = [];
  const before = variant.text;
  const start = Math.min(...edits.map((e) => e.start));
  const end = Math.max(...edits.map((e) => e.end));
  const writtenEnd = fixed.length - (before.length - end);
  if (fixed.slice(0, start) !== before.slice(0, start) || fixed.slice(writtenEnd) !== before.slice(end)) errors.push('text changed outside the edits');
  const lineStart = fixed.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = fixed.indexOf('\n', writtenEnd);
  const written = fixed.slice(lineStart, lineEnd < 0 ? undefined : lineEnd + 1);
  const old = before.slice(before.lastIndexOf('\n', start - 1) + 1, end);
  const lone = (t: string) => (t.match(/(?<!\r)\n/g) ?? []).length;
  if (variant.crlf && lone(written) > lone(old)) errors.push(`a lone LF in a CRLF file: ${JSON.stringify(written)}`);
  if (!variant.crlf && written.includes('\r')) errors.push(`a CR in an LF file: ${JSON.stringify(written)}`);
  const oldLines = new Set(before.split(/\r?\n/));
  for (const line of written.split(/\r?\n/)) {
    if (oldLines.has(line)) continue;
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (variant.tabs && lead.startsWith(' ')) errors.push(`a space-indented line in a tab-indented file: ${JSON.stringify(line)}`);
    if (!variant.tabs && lead.includes('\t')) errors.push(`a tab-indented line in a space-indented file: ${JSON.stringify(line)}`);
  }
  return errors;
}

/** Checks shared by one fix and fix-all: re-parse, layout, and the complete fixes' findings are gone. */
async function checkFixed(rule: Rule, name: string, variant: Variant, before: Run, edits: FileEdit[], suggestion: boolean): Promise<Run> {
  const fixed = applyEdits(variant.text, edits);
  expect(layoutErrors(variant, fixed, edits).join('\n')).toBe('');
  const after = await run(rule, name, fixed);
  expect(after.file.problems.map((p) => p.message)).toEqual(before.file.problems.map((p) => p.message));
  // A suggestion's placeholder may itself be reported (a `var.` without a value, a ref that is no sha).
  if (!suggestion) {
    const was = counts(before.findings);
    for (const [k, n] of counts(after.findings)) expect(n, `finding "${k}" appears after the fix`).toBeLessThanOrEqual(was.get(k) ?? 0);
  }
  return after;
}

/** Each positive fixture and layout variant, analysed once: a test is made for what it has to check. */
const cases = await Promise.all(
  RULES.flatMap((rule) => {
    const dir = path.join(root, rule.id, 'fixtures');
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('positive') && !f.includes('.fixed.')) : [];
    return names.flatMap((name) =>
      variantsOf(name, readFileSync(path.join(dir, name), 'utf8')).map(async (variant) => ({
        rule,
        name,
        variant,
        before: await run(rule, name, variant.text),
      })),
    );
  }),
);

describe.each(cases.map((c) => [`${c.rule.id} ${c.name} (${c.variant.name})`, c] as const))('%s', (_title, { rule, name, variant, before }) => {
  it('parses like the fixture as written', async () => {
    const original = await run(rule, name, readFileSync(path.join(root, rule.id, 'fixtures', name), 'utf8'));
    expect(before.file.problems.map((p) => p.message)).toEqual(original.file.problems.map((p) => p.message));
  });

  if (before.findings.some((f) => f.fixes?.some((x) => fileEditsOf(before.file, [x]).length > 0))) {
    it('each fix round-trips', async () => {
      const base = variant.base && (await run(rule, name, variant.base.text));
      for (const [i, finding] of before.findings.entries()) {
        for (const [j, fix] of (finding.fixes ?? []).entries()) {
          const edits = fileEditsOf(before.file, [fix]);
          if (edits.length === 0) continue;
          // The same fix of the same finding on the text this variant was made from does the same.
          const baseFix = base?.findings.length === before.findings.length ? base.findings[i].fixes?.[j] : undefined;
          if (variant.base && base && baseFix?.title === fix.title) {
            const here = applyEdits(variant.text, edits);
            const there = applyEdits(variant.base.text, fileEditsOf(base.file, [baseFix]));
            if (variant.base.layout) expect(here, `"${fix.title}" in ${variant.name}`).toBe(variant.base.layout(there));
            if (variant.base.data) expect(variant.base.data(here), `"${fix.title}" in ${variant.name}`).toEqual(variant.base.data(there));
          }
          const after = await checkFixed(rule, name, variant, before, edits, fix.safety === 'suggestion');
          if (fix.safety === 'suggestion') continue;
          const n = (fs: Finding[]) => fs.filter((f) => key(f) === key(finding)).length;
          expect(n(after.findings), `"${fix.title}" removes "${finding.message}"`).toBe(n(before.findings) - 1);
        }
      }
    });
  }

  const fixAll = fixAllEdits(before);
  if (fixAll.length > 0) {
    it('fix-all round-trips and a second fix-all changes nothing', async () => {
      const fixed = applyEdits(variant.text, fixAll);
      const after = await checkFixed(rule, name, variant, before, fixAll, false);
      expect(after.findings.filter((f) => f.fixes?.some((x) => x.safety === 'safe'))).toEqual([]);
      expect(applyEdits(fixed, fixAllEdits(after))).toBe(fixed);
    });
  }
});
