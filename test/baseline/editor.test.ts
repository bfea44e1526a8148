/**
 * The editor's side of `baseline:`: a document's findings without those the baseline holds, matched by the
 * fingerprints `airlock baseline` wrote (paths relative to the baseline's folder).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../cli/scan';
import { baselineEntry, formatBaseline } from '../../core/baseline';
import { analyze, defaultConfig, parseFileSync } from '../../core';
import { RULES } from '../../rules';
import { withoutBaselined } from '../../server/baseline';

const dir = mkdtempSync(path.join(tmpdir(), 'airlock-editor-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUCKET = (name: string) => `resource "aws_s3_bucket_acl" "${name}" {\n  bucket = "${name}"\n  acl    = "public-read"\n}\n`;

describe('baseline in the editor', () => {
  it('hides the findings the baseline holds and shows new ones', async () => {
    mkdirSync(path.join(dir, 'infra'));
    const main = path.join(dir, 'infra', 'main.tf');
    writeFileSync(main, BUCKET('logs'));
    const report = await runScan({ cwd: dir, paths: ['.'], version: '0.0.0', jobs: 1, baseline: false });
    writeFileSync(path.join(dir, 'accepted.json'), formatBaseline(report.findings.flatMap((f) => baselineEntry(f) ?? [])));
    const config = { ...defaultConfig(), baseline: 'accepted.json' };
    const warnings: string[] = [];

    // The document as edited: the accepted bucket moved down, a new one above it.
    const text = `${BUCKET('site')}\n# accepted\n${BUCKET('logs')}`;
    const file = parseFileSync(main, text);
    const { findings } = await analyze(file, { rules: RULES, config });
    expect(findings.map((f) => f.ruleId)).toEqual(['storage/s3-public-acl', 'storage/s3-public-acl']);
    const shown = withoutBaselined(file, main, findings, config, dir, (m) => warnings.push(m));
    expect(shown.map((f) => text.slice(0, f.span.start).split('\n').length)).toEqual([3]);
    expect(warnings).toEqual([]);

    const missing = withoutBaselined(file, main, findings, { ...config, baseline: 'nope.json' }, dir, (m) => warnings.push(m));
    expect(missing).toHaveLength(2);
    expect(warnings).toEqual([`baseline ${path.join(dir, 'nope.json')} not found: showing every finding`]);
  });
});
