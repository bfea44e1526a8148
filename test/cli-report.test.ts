/**
 * The report writers (text, JSON, SARIF) as pure functions, and the scan pipeline in-process with
 * stand-in rules: rule failures, suppressions, fingerprints, Terraform modules, related locations.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../core/rule';
import { mask } from '../core/mask';
import { formatSize, formatText, summarize, toJsonReport, toSarif, type ReportFinding, type ScanReport } from '../core/report';
import { parseCommandLine, UsageError } from '../cli/args';
import { batchByFolder } from '../cli/pool';
import { closeIds, findRule } from '../cli/rules';
import { run, type Io } from '../cli/run';
import { scanUnit } from '../cli/unit';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'airlock-report-'));
  temps.push(d);
  return d;
}

function write(dir: string, rel: string, text: string): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function finding(over: Partial<ReportFinding> = {}): ReportFinding {
  return {
    ruleId: 'secret/known-token',
    family: 'secret',
    severity: 'error',
    message: 'Hard-coded AWS access key id (AKIA…9986)',
    path: 'a/b.env',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 25,
    fingerprint: 'f'.repeat(64),
    ...over,
  };
}

function report(over: Partial<ScanReport> = {}): ScanReport {
  const findings = over.findings ?? [finding()];
  const problems = over.problems ?? [];
  const skipped = over.skipped ?? [];
  return {
    tool: { name: 'airlock', version: '1.2.3', informationUri: 'https://github.com/airlock-dev/airlock' },
    root: '/work/repo',
    rules: [
      {
        id: 'network/open-ingress',
        family: 'network',
        severity: 'error',
        formats: ['terraform'],
        docs: { summary: 'Open ingress.', why: 'Because.', fix: 'Narrow it.' },
      },
      {
        id: 'secret/known-token',
        family: 'secret',
        severity: 'error',
        formats: ['text'],
        docs: { summary: 'A token.', why: 'Leaks.', fix: 'Rotate it.' },
      },
    ],
    findings,
    problems,
    skipped,
    maxFileSize: 5 * 1024 * 1024,
    summary: summarize({ filesScanned: 4, findings, problems, skipped, suppressed: over.summary?.suppressed ?? 0, threshold: 'warning' }),
  };
}

describe('text writer', () => {
  it('writes path:line:col severity rule-id message, notes, then the summary', () => {
    const r = report({
      findings: [
        finding(),
        finding({
          ruleId: 'pin/hf-unpinned-revision',
          family: 'pin',
          severity: 'warning',
          message: 'No revision',
          path: 'nb.ipynb',
          line: 18,
          column: 42,
          cell: 1,
          cellLine: 3,
        }),
        finding({ path: 'nb.ipynb', line: 30, column: 7, cell: 0, output: 1, outputLine: 2 }),
      ],
      problems: [
        { kind: 'parse', level: 'warning', path: 'broken.tf', line: 2, column: 12, endLine: 2, endColumn: 13, message: 'unterminated string' },
        { kind: 'rule', level: 'error', path: 'x.tf', ruleId: 'storage/s3-public-acl', message: 'boom' },
        { kind: 'read', level: 'error', path: 'locked.env', message: 'EACCES' },
      ],
      skipped: [
        { path: 'big.json', reason: 'too-large', size: 6e6 },
        { path: 'img.png', reason: 'binary', size: 10 },
      ],
      summary: { suppressed: 2 } as ScanReport['summary'],
    });
    expect(formatText(r)).toBe(
      [
        'a/b.env:3:5 error secret/known-token Hard-coded AWS access key id (AKIA…9986)',
        'nb.ipynb:18:42 warning pin/hf-unpinned-revision No revision [cell 2, line 3]',
        'nb.ipynb:30:7 error secret/known-token Hard-coded AWS access key id (AKIA…9986) [cell 1, output 2, line 2]',
        'broken.tf:2:12: could not parse: unterminated string',
        'x.tf: rule storage/s3-public-acl failed: boom',
        'locked.env: could not read: EACCES',
        '',
        '3 findings (2 errors, 1 warning, 0 info) in 4 files scanned, 2 suppressed, skipped 2 files: 1 binary, 1 over 5 MB, 1 parse problem, 1 rule failure, 1 file not scanned',
        '',
      ].join('\n'),
    );
    expect(r.summary.exitCode).toBe(2);
  });

  it('counts in the singular, and --quiet keeps the findings only', () => {
    const r = report();
    expect(formatText(r)).toBe(
      'a/b.env:3:5 error secret/known-token Hard-coded AWS access key id (AKIA…9986)\n\n1 finding (1 error, 0 warnings, 0 info) in 4 files scanned\n',
    );
    expect(formatText(r, { quiet: true })).toBe('a/b.env:3:5 error secret/known-token Hard-coded AWS access key id (AKIA…9986)\n');
    expect(formatText(report({ findings: [] }), { quiet: true })).toBe('');
  });

  it('colours the severity and dims the location when asked', () => {
    const line = formatText(report(), { color: true, quiet: true });
    expect(line).toBe('\x1b[2ma/b.env:3:5\x1b[0m \x1b[31merror\x1b[0m \x1b[2msecret/known-token\x1b[0m Hard-coded AWS access key id (AKIA…9986)\n');
  });

  it('formats sizes', () => {
    expect(formatSize(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatSize(1536 * 1024)).toBe('1.5 MB');
    expect(formatSize(1024)).toBe('1 KB');
    expect(formatSize(100)).toBe('100 bytes');
  });
});

describe('summary and exit code', () => {
  it('1 for findings at or above the threshold, 0 below it, 2 when a file was not scanned', () => {
    const info = [finding({ severity: 'info' })];
    const base = { filesScanned: 1, problems: [], skipped: [], suppressed: 0 };
    expect(summarize({ ...base, findings: info, threshold: 'warning' }).exitCode).toBe(0);
    expect(summarize({ ...base, findings: info, threshold: 'info' }).exitCode).toBe(1);
    expect(summarize({ ...base, findings: [finding({ severity: 'warning' })], threshold: 'error' }).exitCode).toBe(0);
    const parse = [{ kind: 'parse' as const, level: 'warning' as const, path: 'x', message: 'm' }];
    expect(summarize({ ...base, findings: [], problems: parse, threshold: 'info' }).exitCode).toBe(0);
    const rule = [{ kind: 'rule' as const, level: 'error' as const, path: 'x', message: 'm', ruleId: 'a/b' }];
    expect(summarize({ ...base, findings: [], problems: rule, threshold: 'info' }).exitCode).toBe(0);
    const failed = [{ kind: 'failed' as const, level: 'error' as const, path: 'x', message: 'm' }];
    expect(summarize({ ...base, findings: info, problems: failed, threshold: 'info' })).toMatchObject({ exitCode: 2, failedFiles: 1, failing: 1 });
  });
});

describe('JSON writer', () => {
  it('has version, findings, problems, skipped, summary; fixes carry title and safety only', () => {
    const r = report({
      findings: [
        finding({
          fixes: [
            { title: 'Use a variable', safety: 'unsafe', edits: [{ path: 'a/b.env', line: 3, column: 5, endLine: 3, endColumn: 25, newText: '${KEY}' }] },
          ],
          related: [{ path: 'a/c.tf', line: 1, column: 1, endLine: 1, endColumn: 9, message: 'declared here' }],
        }),
      ],
    });
    const j = toJsonReport(r) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['version', 'findings', 'problems', 'skipped', 'summary']);
    expect(j.version).toBe('1.2.3');
    expect((j.findings as object[])[0]).toEqual({
      ruleId: 'secret/known-token',
      family: 'secret',
      severity: 'error',
      message: 'Hard-coded AWS access key id (AKIA…9986)',
      path: 'a/b.env',
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 25,
      related: [{ path: 'a/c.tf', line: 1, column: 1, endLine: 1, endColumn: 9, message: 'declared here' }],
      fixes: [{ title: 'Use a variable', safety: 'unsafe' }],
      fingerprint: 'f'.repeat(64),
    });
  });
});

describe('SARIF writer', () => {
  const r = report({
    findings: [
      finding({
        path: 'dir with space/b.env',
        severity: 'info',
        fixes: [
          {
            title: 'Use a variable',
            safety: 'unsafe',
            edits: [{ path: 'dir with space/b.env', line: 3, column: 5, endLine: 3, endColumn: 25, newText: 'var.key' }],
          },
          { title: 'Clear outputs', safety: 'safe' },
        ],
        related: [{ path: 'a/c.tf', line: 1, column: 1, endLine: 1, endColumn: 9, message: 'declared here' }],
      }),
      finding({ ruleId: 'secret/unknown-to-the-run', path: 'nb.ipynb', cell: 2, cellLine: 4 }),
    ],
    problems: [
      { kind: 'parse', level: 'warning', path: 'broken.tf', line: 2, column: 12, endLine: 2, endColumn: 13, message: 'unterminated string' },
      { kind: 'rule', level: 'error', path: 'x.tf', ruleId: 'secret/known-token', message: 'boom' },
    ],
    skipped: [{ path: 'img.png', reason: 'binary', size: 10 }],
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test walks the SARIF tree freely
  const sarif = toSarif(r) as any;
  const run = sarif.runs[0];

  it('describes the tool and its rules', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(run.tool.driver).toMatchObject({ name: 'airlock', version: '1.2.3', informationUri: 'https://github.com/airlock-dev/airlock' });
    expect(run.tool.driver.rules[1]).toEqual({
      id: 'secret/known-token',
      name: 'KnownToken',
      shortDescription: { text: 'A token.' },
      fullDescription: { text: 'Leaks.' },
      help: { text: 'Rotate it.', markdown: expect.stringContaining('## How to fix\n\nRotate it.') },
      helpUri: 'https://github.com/airlock-dev/airlock/blob/main/docs/rules/secret/known-token.md',
      defaultConfiguration: { level: 'error' },
      properties: { family: 'secret', tags: ['security', 'secret', 'external/cwe/cwe-798'], precision: 'very-high', 'security-severity': '9.5' },
    });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
  });

  it('writes results with rule index, level, relative encoded uri, region, fingerprint, fixes and related locations', () => {
    const res = run.results[0];
    expect(res).toMatchObject({
      ruleId: 'secret/known-token',
      ruleIndex: 1,
      level: 'note',
      message: { text: 'Hard-coded AWS access key id (AKIA…9986)' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'dir%20with%20space/b.env', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 25 },
          },
        },
      ],
      partialFingerprints: { 'airlockFingerprint/v1': 'f'.repeat(64) },
      relatedLocations: [{ id: 1, message: { text: 'declared here' }, physicalLocation: { artifactLocation: { uri: 'a/c.tf' } } }],
      properties: { family: 'secret' },
    });
    // Only fixes with text edits become SARIF fixes.
    expect(res.fixes).toEqual([
      {
        description: { text: 'Use a variable' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'dir%20with%20space/b.env', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 25 }, insertedContent: { text: 'var.key' } }],
          },
        ],
        properties: { safety: 'unsafe' },
      },
    ]);
    expect(run.results[1].ruleIndex).toBeUndefined();
    expect(run.results[1].properties).toEqual({ family: 'secret', notebook: { cell: 2, cellLine: 4 } });
  });

  it('reports parse problems, rule failures and skipped files as notifications', () => {
    const notes = run.invocations[0].toolExecutionNotifications;
    expect(notes).toEqual([
      {
        level: 'warning',
        message: { text: 'unterminated string' },
        descriptor: { id: 'airlock/parse' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'broken.tf', uriBaseId: '%SRCROOT%' },
              region: { startLine: 2, startColumn: 12, endLine: 2, endColumn: 13 },
            },
          },
        ],
      },
      {
        level: 'error',
        message: { text: 'boom' },
        descriptor: { id: 'airlock/rule' },
        associatedRule: { id: 'secret/known-token', index: 1 },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'x.tf', uriBaseId: '%SRCROOT%' } } }],
      },
      {
        level: 'note',
        message: { text: 'skipped: binary file' },
        descriptor: { id: 'airlock/skipped-binary' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'img.png', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });
});

/** A stand-in rule: flags `TOKEN_...` values in text and Terraform files, with a masked message. */
const fakeToken = defineRule({
  id: 'secret/fake-token',
  family: 'secret',
  severity: 'error',
  formats: ['text', 'terraform'],
  docs: { summary: 'Fake tokens.', why: 'Tests.', fix: 'Remove them.' },
  check({ file, report }) {
    for (const m of file.text.matchAll(/TOKEN_[A-Z0-9]+/g)) {
      report({ span: { start: m.index!, end: m.index! + m[0].length }, message: `Fake token (${mask(m[0])})` });
    }
  },
});

/** Reports each Terraform file's module: the files of its folder, as the project groups them. */
const moduleProbe = defineRule({
  id: 'storage/module-probe',
  family: 'storage',
  severity: 'info',
  formats: ['terraform'],
  docs: { summary: 'Probe.', why: 'Tests.', fix: 'None.' },
  check({ file, project, report }) {
    const others = project.module(file).filter((f) => f !== file);
    report({
      span: { start: 0, end: 0 },
      message: `module of ${path.basename(file.uri)}: ${project.module(file).length} files`,
      related: others.map((o) => ({ uri: o.uri, span: { start: 0, end: 1 }, message: path.basename(o.uri) })),
    });
  },
});

const broken = defineRule({
  id: 'network/always-throws',
  family: 'network',
  severity: 'error',
  formats: ['text'],
  docs: { summary: 'Throws.', why: 'Tests.', fix: 'None.' },
  check() {
    throw new Error('rule bug\nwith a second line');
  },
});

async function scanIn(dir: string, args: string[], rules: Rule[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} };
  const code = await run(['scan', ...args], io, rules);
  return { code, stdout, stderr };
}

describe('scan pipeline (in-process, stand-in rules)', () => {
  it('a rule that throws is reported as an error note; the other findings stand and the exit code follows them', async () => {
    const dir = tempDir();
    write(dir, 'a.env', 'KEY=TOKEN_ABCDEF1234567890\n');
    const r = await scanIn(dir, ['--format', 'json'], [fakeToken, broken]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: ReportFinding) => [f.ruleId, f.line, f.column, f.endColumn])).toEqual([['secret/fake-token', 1, 5, 27]]);
    expect(j.problems).toEqual([{ kind: 'rule', level: 'error', path: 'a.env', ruleId: 'network/always-throws', message: 'rule bug' }]);
    expect(j.summary).toMatchObject({ ruleFailures: 1, failedFiles: 0, exitCode: 1 });
    const text = await scanIn(dir, [], [broken]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      'a.env: rule network/always-throws failed: rule bug\n\n0 findings (0 errors, 0 warnings, 0 info) in 1 file scanned, 1 rule failure\n',
    );
  });

  it('counts suppressed findings', async () => {
    const dir = tempDir();
    write(dir, 'a.env', '# airlock:ignore secret/fake-token -- a test value\nKEY=TOKEN_ABCDEF1234567890\nOTHER=TOKEN_ZYXWVU9876543210\n');
    const r = await scanIn(dir, [], [fakeToken]);
    expect(r.stdout).toBe(
      'a.env:3:7 error secret/fake-token Fake token (TOKE…3210)\n\n1 finding (1 error, 0 warnings, 0 info) in 1 file scanned, 1 suppressed\n',
    );
  });

  it('fingerprints do not depend on the flagged value, only on the rule, the path and the rest of the line', async () => {
    const dir = tempDir();
    write(dir, 'a.env', 'KEY=TOKEN_AAAAAAAAAAAAAAAA\n');
    write(dir, 'b.env', 'KEY=TOKEN_BBBBBBBBBBBBBBBB\n');
    write(dir, 'c/a.env', 'KEY=TOKEN_AAAAAAAAAAAAAAAA\n');
    write(dir, 'd.env', 'KEY=TOKEN_AAAAAAAAAAAAAAAA\n');
    const first = JSON.parse((await scanIn(dir, ['--format', 'json'], [fakeToken])).stdout);
    write(dir, 'a.env', '\n\nKEY=TOKEN_CCCCCCCCCCCCCCCC\n');
    write(dir, 'd.env', 'OTHER_KEY=TOKEN_AAAAAAAAAAAAAAAA\n');
    const second = JSON.parse((await scanIn(dir, ['--format', 'json'], [fakeToken])).stdout);
    const fp = (j: { findings: ReportFinding[] }, p: string) => j.findings.find((f) => f.path === p)!.fingerprint;
    expect(fp(second, 'a.env')).toBe(fp(first, 'a.env')); // moved down, value rotated: the same finding
    expect(fp(first, 'b.env')).not.toBe(fp(first, 'a.env')); // another file
    expect(fp(first, 'c/a.env')).not.toBe(fp(first, 'a.env'));
    expect(fp(second, 'd.env')).not.toBe(fp(first, 'd.env')); // the line around it changed
    expect(fp(first, 'a.env')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a Terraform module is analysed with all its files; other folders are separate modules', async () => {
    const dir = tempDir();
    write(dir, 'mod/main.tf', 'locals {}\n');
    write(dir, 'mod/s3.tf', 'locals {}\n');
    write(dir, 'mod/terraform.tfvars', 'x = 1\n');
    write(dir, 'other/main.tf', 'locals {}\n');
    const r = await scanIn(dir, ['--format', 'json'], [moduleProbe]);
    const j = JSON.parse(r.stdout);
    const messages = j.findings.map((f: ReportFinding) => f.message);
    expect(messages).toEqual(['module of main.tf: 3 files', 'module of s3.tf: 3 files', 'module of terraform.tfvars: 3 files', 'module of main.tf: 1 files']);
    expect(j.findings[0].related).toEqual([
      { path: 'mod/s3.tf', line: 1, column: 1, endLine: 1, endColumn: 2, message: 's3.tf' },
      { path: 'mod/terraform.tfvars', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'terraform.tfvars' },
    ]);
  });

  it('a file that cannot be read fails alone', async () => {
    const dir = tempDir();
    const ok = write(dir, 'ok.env', 'KEY=TOKEN_ABCDEF1234567890\n');
    const results = await scanUnit([{ uri: path.join(dir, 'vanished.env') }, { uri: ok }], {
      root: dir,
      config: { rules: {}, ignore: [], maxFileSize: 1024 },
      rules: [fakeToken],
    });
    expect(results.map((r) => [r.path, r.status])).toEqual([
      ['vanished.env', 'failed'],
      ['ok.env', 'scanned'],
    ]);
    expect(results[0].problems).toEqual([{ kind: 'read', level: 'error', path: 'vanished.env', message: 'ENOENT' }]);
  });
});

describe('argument parsing', () => {
  it('has defaults: scan ., text, threshold warning, colour when a terminal', () => {
    expect(parseCommandLine(['scan'])).toEqual({
      kind: 'scan',
      args: {
        paths: ['.'],
        staged: false,
        format: 'text',
        output: undefined,
        config: undefined,
        severity: 'warning',
        color: undefined,
        quiet: false,
        maxFileSize: undefined,
        jobs: undefined,
        reportUnusedSuppressions: false,
        helmValues: [],
      },
    });
  });

  it('takes --opt value, --opt=value, short options and --', () => {
    const cmd = parseCommandLine([
      'scan',
      '-f',
      'sarif',
      '--output=out.sarif',
      '-j2',
      '--no-color',
      '--max-file-size',
      '1.5MB',
      '--staged',
      'a',
      '--',
      '--weird-name',
    ]);
    expect(cmd).toMatchObject({
      kind: 'scan',
      args: { paths: ['a', '--weird-name'], format: 'sarif', output: 'out.sarif', jobs: 2, color: false, maxFileSize: 1572864, staged: true },
    });
    expect(parseCommandLine(['rules', '--format', 'json'])).toEqual({ kind: 'rules', format: 'json' });
    expect(parseCommandLine(['explain', 'x/y'])).toEqual({ kind: 'explain', id: 'x/y', format: 'text' });
    expect(parseCommandLine(['scan', '--help'])).toEqual({ kind: 'help', topic: 'scan' });
    expect(parseCommandLine(['-v'])).toEqual({ kind: 'version' });
  });

  it('rejects what it does not know', () => {
    expect(() => parseCommandLine(['scan', '--staged=yes'])).toThrow(UsageError);
    expect(() => parseCommandLine(['scan', '--jobs', 'many'])).toThrow(/--jobs must be a whole number/);
    expect(() => parseCommandLine(['scan', '--color', '--no-color'])).toThrow(/cannot be used together/);
    expect(() => parseCommandLine(['rules', 'extra'])).toThrow(/takes no arguments/);
    expect(() => parseCommandLine(['--format', 'json'])).toThrow(/expected a command first/);
  });

  it('says what is wrong with an option in one line', () => {
    const message = (argv: string[]) => {
      try {
        parseCommandLine(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error(`${argv.join(' ')} was accepted`);
    };
    expect(message(['scan', '--bogus'])).toBe('unknown option --bogus for "scan" (see airlock scan --help)');
    expect(message(['scan', '--bogus=1'])).toBe('unknown option --bogus for "scan" (see airlock scan --help)');
    expect(message(['scan', '-x'])).toBe('unknown option -x for "scan" (see airlock scan --help)');
    expect(message(['rules', '--output', 'x'])).toBe('unknown option --output for "rules" (see airlock rules --help)');
    expect(message(['scan', '--output'])).toBe('option --output needs a value (FILE)');
    expect(message(['scan', '-o'])).toBe('option --output needs a value (FILE)');
    expect(message(['explain', 'x/y', '--format'])).toBe('option --format needs a value (FORMAT)');
    expect(message(['scan', '--staged=yes'])).toBe('option --staged takes no value');
    expect(message(['scan', '--quiet='])).toBe('option --quiet takes no value');
    // A value may start with a dash: this one is not a format.
    expect(message(['scan', '--format', '--staged'])).toBe('--format must be one of text, json, sarif (got "--staged")');
  });

  it('takes --opt=value and -ovalue for every option with a value, and the last of a repeated option', () => {
    expect(parseCommandLine(['scan', '--format=json', '--severity=info', '--config=c.yaml', '--jobs=3', '--max-file-size=1k'])).toMatchObject({
      kind: 'scan',
      args: { format: 'json', severity: 'info', config: 'c.yaml', jobs: 3, maxFileSize: 1024 },
    });
    expect(parseCommandLine(['scan', '-fjson', '-sinfo', '-cc.yaml', '-oout.json', '-q'])).toMatchObject({
      kind: 'scan',
      args: { format: 'json', severity: 'info', config: 'c.yaml', output: 'out.json', quiet: true },
    });
    expect(parseCommandLine(['scan', '-o', '-', '-f', 'json', '-f', 'sarif'])).toMatchObject({ kind: 'scan', args: { output: '-', format: 'sarif' } });
    expect(parseCommandLine(['explain', '--format=json', 'x/y'])).toEqual({ kind: 'explain', id: 'x/y', format: 'json' });
    expect(parseCommandLine(['rules', '-h'])).toEqual({ kind: 'help', topic: 'rules' });
  });
});

describe('rule lookup', () => {
  const rules = [fakeToken, moduleProbe, broken];
  it('finds by id or unique name, and suggests close ids', () => {
    expect(findRule('secret/fake-token', rules)).toBe(fakeToken);
    expect(findRule('module-probe', rules)).toBe(moduleProbe);
    expect(closeIds('secret/fake-tokn', rules)).toEqual(['secret/fake-token']);
    expect(closeIds('always', rules)).toEqual(['network/always-throws']);
    expect(() => findRule('secret/fak-token', rules)).toThrow('unknown rule "secret/fak-token" (did you mean secret/fake-token?)');
  });
});

describe('work partitioning', () => {
  it('keeps a folder in one batch and packs small folders together', () => {
    const files = [
      ...Array.from({ length: 60 }, (_, i) => ({ uri: `/r/big/f${i}.tf` })),
      ...Array.from({ length: 10 }, (_, i) => ({ uri: `/r/a${i}/main.tf` })),
    ];
    const batches = batchByFolder(files, 8);
    for (const b of batches) {
      const dirs = new Set(b.map((f) => path.dirname(f.uri)));
      if (dirs.has('/r/big')) expect(dirs.size).toBe(1);
    }
    expect(batches.find((b) => b.some((f) => f.uri.startsWith('/r/big/')))!.length).toBe(60);
    expect(batches.flat()).toHaveLength(70);
  });

  it("keeps a Helm chart's values.yaml with its templates, however many folders sort between them", () => {
    const files = [
      { uri: '/r/chart/values.yaml' },
      ...Array.from({ length: 10 }, (_, i) => ({ uri: `/r/chart/charts/sub${i}/values.yaml` })),
      { uri: '/r/chart/templates/deployment.yaml' },
      { uri: '/r/chart/templates/tests/test-connection.yaml' },
    ];
    const batch = batchByFolder(files, 4).find((b) => b.some((f) => f.uri === '/r/chart/values.yaml'))!;
    expect(batch.map((f) => f.uri)).toEqual(expect.arrayContaining(['/r/chart/templates/deployment.yaml', '/r/chart/templates/tests/test-connection.yaml']));
  });
});
