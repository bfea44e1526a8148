/**
 * The rule harness. For every rule in the registry, its `fixtures/` folder holds:
 * - `positive*.<ext>` files and `expected.json` with the exact range of every finding of that rule
 *   (`"L:C-L:C"`, 1-based; notebooks add `cell` and, for outputs, `output`, with ranges inside the cell);
 * - `negative*.<ext>` files on which the rule must report nothing;
 * - `<name>.fixed.<ext>`: the text after applying the first fix of every finding in `<name>.<ext>`;
 * and `snapshots/<name>.snap` next to `fixtures/` holds every finding of each positive fixture in full
 * (see `rule-harness/snapshot.ts`). Missing snapshots are written by `vitest run` on a developer's machine
 * and fail under `CI`; `vitest run -u` rewrites changed ones.
 * Fixes must re-parse without new problems, remove the finding (unless they are suggestions with a
 * placeholder for a person) and be idempotent. Every fix names a kind the rule declares, with that kind's
 * safety, and every declared kind is emitted by some fixture. A secret finding never shows its secret.
 * A finding that a commit from the Hugging Face cache can pin (`hubPin`) is pinned by one: nothing is left to pin.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, applyEdits, fileEditsOf, parseFile, Project, ruleMayReport, type Finding, type ParsedFile, type Rule } from '../core';
import { RULES } from '../rules';
import { cachedPinFix } from '../core/hub-cache';
import { fixMetadataErrors, secretLeaks } from './rule-harness/checks';
import { rangeText, renderSnapshot, textOfSpan } from './rule-harness/snapshot';

interface Expected {
  range: string;
  cell?: number;
  output?: number;
}

const root = path.resolve(__dirname, '..', 'rules');

function fixtureDir(rule: Rule): string {
  return path.join(root, rule.id, 'fixtures');
}

function rangeOf(file: ParsedFile, f: Finding): Expected {
  const out: Expected = { range: rangeText(textOfSpan(file, f.span), f.span) };
  if (f.span.cell !== undefined) out.cell = f.span.cell;
  if (f.span.output !== undefined) out.output = f.span.output;
  return out;
}

async function run(rule: Rule, name: string, text: string, config = { rules: { [rule.id]: 'on' as const }, ignore: [], maxFileSize: 1e9 }) {
  const file = await parseFile(path.join('/fixtures', rule.id, name), text);
  const { findings, failures } = await analyze(file, { rules: [rule], config, project: new Project([file]) });
  expect(failures).toEqual([]);
  return { file, findings };
}

/** Each fixture's findings, analysed once for the tests that read them. */
const fixtureRuns = new Map<string, ReturnType<typeof run>>();
function runFixture(rule: Rule, dir: string, name: string) {
  const key = path.join(dir, name);
  let result = fixtureRuns.get(key);
  if (!result) {
    result = run(rule, name, readFileSync(key, 'utf8'));
    fixtureRuns.set(key, result);
  }
  return result;
}

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  const dir = fixtureDir(rule);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => !f.includes('.fixed.') && f !== 'expected.json') : [];
  const expected: Record<string, Expected[]> = existsSync(path.join(dir, 'expected.json'))
    ? JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'))
    : {};

  it('has positive and negative fixtures for every format it claims', () => {
    const formatsSeen = new Map<string, Set<string>>();
    return (async () => {
      for (const name of files) {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const file = await parseFile(name, text);
        const kind = name.startsWith('positive') ? 'positive' : name.startsWith('negative') ? 'negative' : 'other';
        expect(kind, `${name}: fixture names start with positive or negative`).not.toBe('other');
        const set = formatsSeen.get(file.format) ?? new Set<string>();
        set.add(kind);
        formatsSeen.set(file.format, set);
      }
      for (const format of rule.formats) {
        expect([...(formatsSeen.get(format) ?? [])].sort(), `${rule.id}: fixtures for ${format}`).toEqual(['negative', 'positive']);
      }
    })();
  });

  it('documents itself', () => {
    expect(rule.docs.summary.length).toBeGreaterThan(20);
    // The summary is a cell of the README's rules table and SARIF's short description: the details go to `reads`.
    expect(rule.docs.summary.length).toBeLessThanOrEqual(600);
    expect(rule.docs.why.length).toBeGreaterThan(40);
    expect(rule.docs.fix.length).toBeGreaterThan(20);
    // The generated docs state each kind's safety from `rule.fixes`: the prose must not state one of its own.
    for (const [kind, does] of Object.entries<string>(rule.docs.fixes ?? {})) {
      expect(does.length, `${kind}: what the fix does`).toBeGreaterThan(20);
      expect(does, `${kind}: the docs give the safety`).not.toMatch(/\b(safe|unsafe|suggestion)\b/i);
    }
  });

  it('keeps snapshots only of its positive fixtures', () => {
    const snapshots = path.join(root, rule.id, 'snapshots');
    const names = existsSync(snapshots) ? readdirSync(snapshots) : [];
    const positives = new Set(files.filter((f) => f.startsWith('positive')).map((f) => `${f}.snap`));
    expect(names.filter((n) => !positives.has(n))).toEqual([]);
  });

  it('emits every fix kind it declares', async () => {
    const emitted = new Set<string>();
    for (const name of files.filter((f) => f.startsWith('positive'))) {
      const { findings } = await runFixture(rule, dir, name);
      for (const f of findings) for (const fix of f.fixes ?? []) emitted.add(fix.kind);
    }
    expect(
      Object.keys(rule.fixes ?? {}).filter((k) => !emitted.has(k)),
      'kinds no positive fixture emits',
    ).toEqual([]);
  });

  for (const name of files) {
    if (name.startsWith('negative')) {
      it(`${name}: no findings`, async () => {
        const { findings } = await runFixture(rule, dir, name);
        expect(findings.map((f) => f.message)).toEqual([]);
      });
      continue;
    }
    it(`${name}: exact findings`, async () => {
      const { file, findings } = await runFixture(rule, dir, name);
      expect(findings.every((f) => f.ruleId === rule.id)).toBe(true);
      expect(findings.map((f) => rangeOf(file, f))).toEqual(expected[name] ?? []);
      expect(expected[name]?.length ?? 0, `${name} must expect at least one finding`).toBeGreaterThan(0);
      // A repository scan does not parse a file the rule's prefilter rules out.
      expect(ruleMayReport(rule, file.format, file.text), `${name}: the prefilter for ${file.format} rules out a file with findings`).toBe(true);
      expect(fixMetadataErrors(rule, findings)).toEqual([]);
      expect(secretLeaks(rule, file, findings), `${name}: messages and fix titles must not show the secret`).toEqual([]);
    });
    it(`${name}: matches snapshots/${name}.snap`, async () => {
      const { file, findings } = await runFixture(rule, dir, name);
      await expect(renderSnapshot(file, findings)).toMatchFileSnapshot(path.join(root, rule.id, 'snapshots', `${name}.snap`));
    });
    const ext = path.extname(name);
    const fixedName = `${name.slice(0, -ext.length)}.fixed${ext}`;
    if (!existsSync(path.join(dir, fixedName))) continue;
    it(`${name}: fixes produce ${fixedName}, re-parse, remove their findings and are idempotent`, async () => {
      const { file, findings } = await runFixture(rule, dir, name);
      const fixes = findings.flatMap((f) => (f.fixes?.length ? [f.fixes[0]] : []));
      expect(fixes.length).toBeGreaterThan(0);
      const fixed = applyEdits(file.text, fileEditsOf(file, fixes));
      expect(fixed).toBe(readFileSync(path.join(dir, fixedName), 'utf8'));
      const again = await run(rule, name, fixed);
      expect(again.file.problems.length).toBeLessThanOrEqual(file.problems.length);
      // Suggestions leave a placeholder for a person; complete fixes must make their finding disappear.
      const complete = fixes.filter((f) => f.safety !== 'suggestion');
      if (complete.length === fixes.length) {
        expect(again.findings.length).toBe(findings.length - complete.length);
        expect(again.findings.filter((f) => f.fixes?.some((x) => x.safety !== 'suggestion'))).toEqual([]);
      }
    });
    it(`${name}: a cached commit pins each Hub load it can and re-parses`, async () => {
      const { file, findings } = await runFixture(rule, dir, name);
      const pins = findings.filter((f) => f.hubPin);
      if (!pins.length) return;
      const commit = { sha: 'c0ffee'.padEnd(40, '0'), refs: ['main'], mtimeMs: 0 };
      const fixes = pins.map((f) => cachedPinFix(f.hubPin!, commit));
      const fixed = applyEdits(file.text, fileEditsOf(file, fixes));
      expect(fixed).toContain(commit.sha);
      const again = await run(rule, name, fixed);
      expect(again.file.problems.length).toBeLessThanOrEqual(file.problems.length);
      // Pinned, a load has nothing left to pin; a rule may still report it (remote code that runs, pinned or not).
      expect(again.findings.filter((f) => f.hubPin)).toEqual([]);
      expect(again.findings.length).toBeLessThanOrEqual(findings.length);
    });
  }
});

beforeAll(() => {
  expect(RULES.length).toBeGreaterThan(0);
});
