/**
 * The SARIF a scan writes, checked against the OASIS SARIF 2.1.0 JSON schema (vendored in
 * test/fixtures/sarif) and against what GitHub code scanning documents for third-party SARIF: rule
 * `security-severity` as a string of a number in 0–10, `precision`, `tags` with `security` and CWE ids,
 * `help.markdown`, driver `fullName`, rule `name`s, `automationDetails.id`, unique `partialFingerprints`,
 * and suppressed results kept with `suppressions[]`. Also the labeled corpus's SARIF, when it is present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSecurityTable, SECURITY } from '../core/report/security';
import { RULES } from '../rules';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const LABELED = path.resolve(ROOT, '..', 'shared', 'corpus', 'labeled');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/**
 * The draft-04 schema for Ajv 8 (draft-07 rules): its top-level `id` is `$id`, and `$schema` goes. Its
 * `language` pattern is not a valid unicode-mode regular expression: patterns are compiled without `u`.
 */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///') && !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

const validate = sarifValidator();

function schemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message}`);
}

/** What GitHub code scanning documents for a third-party upload, one message per broken constraint. */
function codeScanningProblems(log: Log): string[] {
  const problems: string[] = [];
  const run = log.runs[0];
  const driver = run.tool.driver;
  if (!driver.fullName) problems.push('driver.fullName missing');
  if (!run.automationDetails?.id) problems.push('automationDetails.id missing');
  const rules = driver.rules ?? [];
  if (rules.length > 25_000) problems.push('more than 25,000 rules');
  for (const r of rules as ReportingDescriptor[]) {
    const p = r.properties ?? {};
    const sev = p['security-severity'];
    if (!r.name) problems.push(`${r.id}: no name`);
    if (!r.help?.markdown) problems.push(`${r.id}: no help.markdown`);
    // The checks of suppression comments are no security query: code scanning ranks them by level.
    if (p.family === 'airlock') {
      if (sev !== undefined || p.tags?.includes('security')) problems.push(`${r.id}: ranked as a security weakness`);
      continue;
    }
    if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) <= 0 || Number(sev) > 10) problems.push(`${r.id}: security-severity ${sev}`);
    if (!['very-high', 'high', 'medium', 'low'].includes(p.precision)) problems.push(`${r.id}: precision ${p.precision}`);
    const tags: string[] = p.tags ?? [];
    if (!tags.includes('security')) problems.push(`${r.id}: no security tag`);
    if (tags.length > 20) problems.push(`${r.id}: more than 20 tags`);
    if (!tags.some((t) => /^external\/cwe\/cwe-\d+$/.test(t))) problems.push(`${r.id}: no CWE tag`);
  }
  const results = run.results ?? [];
  if (results.length > 25_000) problems.push('more than 25,000 results');
  const ids = new Set(rules.map((r) => r.id));
  const fingerprints = new Map<string, number>();
  for (const res of results as Result[]) {
    if (!res.ruleId || !ids.has(res.ruleId)) problems.push(`result of unknown rule ${res.ruleId}`);
    const loc = res.locations?.[0]?.physicalLocation;
    if (!loc?.artifactLocation?.uri || /^(\/|file:)/.test(loc.artifactLocation.uri)) problems.push(`${res.ruleId}: location not relative`);
    if (!loc?.region?.startLine || loc.region.startLine < 1) problems.push(`${res.ruleId}: no 1-based startLine`);
    for (const fp of Object.values(res.partialFingerprints ?? {})) fingerprints.set(fp, (fingerprints.get(fp) ?? 0) + 1);
    if (!res.partialFingerprints || Object.keys(res.partialFingerprints).length === 0) problems.push(`${res.ruleId}: no partialFingerprints`);
  }
  const shared = [...fingerprints.values()].filter((n) => n > 1).length;
  if (shared) problems.push(`${shared} partialFingerprints shared by several results`);
  return problems;
}

function scanSarif(cwd: string, args: string[] = []): Log {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'sarif', ...args, '.'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Log;
}

describe('SARIF for code scanning', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-sarif-'));
  temps.push(dir);
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  put('infra/main.tf', 'resource "aws_s3_bucket_acl" "logs" {\n  bucket = "logs"\n  acl    = "public-read"\n}\n');
  put(
    'infra/site.tf',
    '# airlock:ignore storage/s3-public-acl -- the public website bucket\nresource "aws_s3_bucket_acl" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n',
  );
  put(
    'infra/sg.tf',
    'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
  );
  put('k8s/app.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n');

  it('validates against the SARIF 2.1.0 schema and GitHub code scanning constraints', () => {
    const log = scanSarif(dir);
    expect(schemaErrors(log)).toEqual([]);
    expect(codeScanningProblems(log)).toEqual([]);
    const driver = log.runs[0].tool.driver;
    expect(driver.fullName).toMatch(/^Airlock \d/);
    expect(log.runs[0].automationDetails).toEqual({ id: 'airlock/' });
    const rule = driver.rules?.find((r) => r.id === 'storage/s3-public-acl');
    expect(rule?.name).toBe('S3PublicAcl');
    expect(rule?.help?.markdown).toContain('## How to fix');
  });

  it('tags hard-coded credentials, public storage, open network and unpinned artifacts with their CWE', () => {
    const tags = (id: string) => log.runs[0].tool.driver.rules?.find((r) => r.id === id)?.properties?.tags;
    const log = scanSarif(dir);
    expect(tags('secret/known-token')).toEqual(['security', 'secret', 'external/cwe/cwe-798']);
    expect(tags('storage/s3-public-acl')).toEqual(['security', 'storage', 'external/cwe/cwe-732', 'external/cwe/cwe-200']);
    expect(tags('network/open-ingress')).toEqual(['security', 'network', 'external/cwe/cwe-284', 'external/cwe/cwe-668']);
    expect(tags('pin/image-unpinned')).toEqual(['security', 'pin', 'external/cwe/cwe-494', 'external/cwe/cwe-829']);
  });

  it('keeps suppressed results: in source with the reason, and baseline entries as external', () => {
    const inSource = scanSarif(dir).runs[0].results?.filter((r) => r.suppressions) ?? [];
    expect(inSource.map((r) => [r.ruleId, r.locations?.[0].physicalLocation?.artifactLocation?.uri, r.suppressions])).toEqual([
      ['storage/s3-public-acl', 'infra/site.tf', [{ kind: 'inSource', status: 'accepted', justification: 'the public website bucket' }]],
    ]);

    expect(spawnSync(process.execPath, [CLI, 'baseline', '-o', 'accepted.json', 'infra'], { cwd: dir }).status).toBe(0);
    const log = scanSarif(dir, ['--baseline', 'accepted.json']);
    expect(schemaErrors(log)).toEqual([]);
    expect(codeScanningProblems(log)).toEqual([]);
    const results = log.runs[0].results ?? [];
    const state = (r: Result) => `${r.ruleId} ${r.baselineState} ${r.suppressions?.map((s) => `${s.kind}: ${s.justification}`).join() ?? ''}`;
    expect(results.map(state).sort()).toEqual([
      'network/open-ingress unchanged external: in baseline accepted.json',
      'pin/image-unpinned new ',
      'storage/s3-public-acl new inSource: the public website bucket',
      'storage/s3-public-acl unchanged external: in baseline accepted.json',
    ]);
  });

  it('validates with results of the checks of suppression comments, ranked as maintainability', () => {
    const checks = mkdtempSync(path.join(tmpdir(), 'airlock-sarif-checks-'));
    temps.push(checks);
    writeFileSync(path.join(checks, 'main.tf'), '# airlock:ignore storage/s3-publc-acl\n# airlock:ignore network/open-ingress\nlocals {}\n');
    writeFileSync(path.join(checks, 'data.tf'), 'resource "aws_s3_bucket" "data" {\n  # checkov:skip=CKV_AWS_18: logs elsewhere\n  bucket = "data"\n}\n');
    const log = scanSarif(checks, ['--report-unused-suppressions']);
    expect(schemaErrors(log)).toEqual([]);
    expect(codeScanningProblems(log)).toEqual([]);
    const results = (log.runs[0].results ?? []).filter((r) => r.ruleId?.startsWith('airlock/'));
    expect(results.map((r) => [r.ruleId, r.level, r.locations?.[0].physicalLocation?.region?.startLine])).toEqual([
      ['airlock/unused-suppression', 'note', 2],
      ['airlock/unknown-rule-id', 'warning', 1],
      ['airlock/unused-suppression', 'warning', 2],
    ]);
    const rule = log.runs[0].tool.driver.rules?.find((r) => r.id === 'airlock/unknown-rule-id');
    expect(rule?.properties).toEqual({ family: 'airlock', tags: ['maintainability'], precision: 'very-high' });
    expect(rule?.helpUri).toMatch(/\/docs\/rules\/airlock\/unknown-rule-id\.md$/);
  });

  it('has a row of security metadata for every registered rule, listed in docs/sarif.md', () => {
    expect(RULES.map((r) => r.id).filter((id) => !Object.hasOwn(SECURITY, id))).toEqual([]);
    expect(Object.keys(SECURITY).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
    expect(readFileSync(path.join(ROOT, 'docs', 'sarif.md'), 'utf8')).toContain(renderSecurityTable(RULES));
  });
});

describe.runIf(existsSync(LABELED))('SARIF of the labeled corpus', () => {
  it('validates and has no duplicate fingerprints', { timeout: 300_000 }, () => {
    const log = scanSarif(LABELED, ['--severity', 'info']);
    expect(log.runs[0].results?.length).toBeGreaterThan(500);
    expect(schemaErrors(log)).toEqual([]);
    expect(codeScanningProblems(log)).toEqual([]);
  });
});
