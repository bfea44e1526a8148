/**
 * The `airlock` command as users run it: the bundled `dist/cli.js` spawned in temporary folders with real
 * files and real git repositories.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

// Fake credentials, assembled here so that this file itself holds no token a scanner would flag.
const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';
const GITHUB_TOKEN = 'ghp_' + 'R8x2Kq7LmN4pZ1vT9bC3dF6hJ0sW5yU2aE8g';
const PASSWORD = 'S3cr3t-' + 'Passw0rd!x';
const SECRETS = [AWS_KEY_ID, GITHUB_TOKEN, PASSWORD];

/** The rules the project ships; tests that need findings name the ones they rely on. */
const EXPECTED_RULES = [
  'network/open-egress',
  'network/open-ingress',
  'pin/hf-unpinned-revision',
  'pin/image-unpinned',
  'secret/hardcoded-password',
  'secret/known-token',
  'storage/s3-public-acl',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function airlock(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], cwd: string): { run: Run; report: JsonReport } {
  const run = airlock([...args, '--format', 'json'], cwd);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

interface JsonFinding {
  ruleId: string;
  family: string;
  severity: string;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  cell?: number;
  cellLine?: number;
  output?: number;
  outputLine?: number;
  fixes?: { title: string; safety: string }[];
}

interface JsonReport {
  version: string;
  findings: JsonFinding[];
  problems: { kind: string; level: string; path: string; line?: number; message: string }[];
  skipped: { path: string; reason: string }[];
  summary: {
    filesScanned: number;
    findings: number;
    suppressed: number;
    skipped: { binary: number; tooLarge: number };
    parseProblems: number;
    failedFiles: number;
    threshold: string;
    exitCode: number;
  };
}

const temps: string[] = [];

function tempDir(name = 'airlock-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), name));
  temps.push(dir);
  return dir;
}

function write(dir: string, rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** The fixture project plus files holding the fake secrets. */
function projectWithSecrets(): string {
  const dir = tempDir();
  cpSync(path.join(FIXTURES, 'project'), dir, { recursive: true });
  write(dir, 'secrets/.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`);
  write(dir, 'db/main.tf', `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  username = "admin"\n  password = "${PASSWORD}"\n}\n`);
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: ['import os\n', 'print(os.environ["AWS_ACCESS_KEY_ID"])\n'],
        outputs: [{ name: 'stdout', output_type: 'stream', text: ['the key is\n', `${AWS_KEY_ID}\n`] }],
      },
    ],
    metadata: { language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  write(dir, 'secrets/leak.ipynb', `${JSON.stringify(notebook, null, 1)}\n`);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
}

function gitRepo(): string {
  const dir = tempDir('airlock-git-');
  git(dir, 'init', '-q');
  return dir;
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not found`);
  return text.slice(0, i).split('\n').length;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('airlock basics', () => {
  it('the built CLI is executable and runs as a command of its own (a bin link made by an earlier install still works after a rebuild)', () => {
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    const run = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints its version and help', () => {
    const v = airlock(['--version'], ROOT);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    const h = airlock(['scan', '--help'], ROOT);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--staged');
    expect(h.stdout).toMatch(/fail threshold: error, warning \(default\) or info/);
    expect(h.stdout).toContain('Exit codes');
    expect(airlock(['--help'], ROOT).stdout).toContain('airlock scan');
  });

  it.each([
    [['scan', '--bogus'], /^airlock: unknown option --bogus/],
    [['scan', '--format', 'xml'], /^airlock: --format must be one of text, json, sarif/],
    [['scan', '--severity', 'fatal'], /^airlock: --severity must be one of error, warning, info/],
    [['scan', '--format'], /^airlock: option --format needs a value/],
    [['scan', '--max-file-size', 'big'], /^airlock: --max-file-size must be a size/],
    [['scan', 'does-not-exist'], /^airlock: no such file or directory: does-not-exist/],
    [['frobnicate'], /^airlock: unknown command "frobnicate"/],
    [[], /^airlock: missing command/],
  ])('usage error %j exits 2 with one line on stderr', (args, message) => {
    const dir = tempDir();
    const r = airlock(args, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing path fails at once even when other paths exist', () => {
    const dir = tempDir();
    write(dir, 'a.env', 'A=1\n');
    const r = airlock(['scan', 'a.env', 'missing.tf'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('airlock: no such file or directory: missing.tf');
  });

  it.each([
    ['rules: [unclosed\n', /not valid YAML/],
    ['colour: true\n', /unknown key "colour"/],
    ['rules:\n  secret/known-token: loud\n', /expected one of error, warning, info, on, off/],
    ['maxFileSize: huge\n', /maxFileSize must be/],
  ])('a bad .airlock.yaml exits 2 with one line: %j', (config, message) => {
    const dir = tempDir();
    write(dir, '.airlock.yaml', config);
    write(dir, 'a.env', 'A=1\n');
    const r = airlock(['scan'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^airlock: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a --config file that does not exist exits 2', () => {
    const dir = tempDir();
    const r = airlock(['scan', '--config', 'nope.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^airlock: cannot read config .*nope\.yaml: ENOENT/);
  });

  it('finds .airlock.yaml in a parent folder of the repository, and --config overrides it', () => {
    const dir = tempDir();
    // The lookup climbs to the repository root (a folder with .git) or the working folder, not beyond.
    mkdirSync(path.join(dir, '.git'));
    write(dir, '.airlock.yaml', 'ignore:\n  - "*.env"\n');
    write(dir, 'sub/a.env', 'A=1\n');
    write(dir, 'sub/b.txt', 'B=1\n');
    expect(json(['scan'], path.join(dir, 'sub')).report.summary.filesScanned).toBe(1);
    write(dir, 'other.yaml', 'rules: {}\n');
    expect(json(['scan', '--config', '../other.yaml'], path.join(dir, 'sub')).report.summary.filesScanned).toBe(2);
  });

  it('a clean folder exits 0', () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'clean'), dir, { recursive: true });
    const r = airlock(['scan'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('0 findings (0 errors, 0 warnings, 0 info) in 3 files scanned');
    const { report } = json(['scan'], dir);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ filesScanned: 3, findings: 0, exitCode: 0, threshold: 'warning' });
  });
});

describe('airlock scan output', () => {
  let dir: string;
  beforeAll(() => {
    dir = projectWithSecrets();
  });

  it('text: one line per finding, path:line:col severity rule-id message, then a summary', () => {
    const r = airlock(['scan'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const summary = lines.pop()!;
    expect(summary).toMatch(/^\d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\) in 8 files scanned$/);
    const findings = lines.filter((l) => l !== '');
    expect(findings.length).toBeGreaterThan(0);
    for (const l of findings) expect(l).toMatch(/^[\w./-]+:\d+:\d+ (error|warning|info) [a-z]+\/[a-z0-9-]+ \S.*$/);
    // No colour when stdout is not a terminal.
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('reports every shipped rule on the fixture project, at the offending line', () => {
    const { run, report } = json(['scan'], dir);
    expect(run.code).toBe(1);
    const ids = new Set(report.findings.map((f) => f.ruleId));
    for (const id of EXPECTED_RULES) expect(ids, id).toContain(id);
    const at = (ruleId: string, file: string) => report.findings.filter((f) => f.ruleId === ruleId && f.path === file).map((f) => f.line);
    const tf = readFileSync(path.join(dir, 'network/main.tf'), 'utf8');
    expect(at('network/open-ingress', 'network/main.tf')).toContain(lineOf(tf, '"0.0.0.0/0"'));
    expect(at('storage/s3-public-acl', 'storage/bucket.tf')).toEqual([7]);
    expect(at('pin/image-unpinned', 'k8s/deployment.yaml')).toEqual([17]);
    expect(at('secret/hardcoded-password', 'db/main.tf')).toEqual([4]);
    expect(at('secret/known-token', 'secrets/.env').sort()).toEqual([1, 2]);
  });

  it('json: findings with 1-based positions, family, severity and fix titles', () => {
    const { report } = json(['scan'], dir);
    expect(report.version).toBe(pkg.version);
    expect(Object.keys(report)).toEqual(['version', 'findings', 'problems', 'skipped', 'summary']);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      expect(f.ruleId.startsWith(`${f.family}/`)).toBe(true);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(path.isAbsolute(f.path)).toBe(false);
      for (const fix of f.fixes ?? []) expect(['safe', 'unsafe', 'suggestion']).toContain(fix.safety);
    }
    const key = report.findings.find((f) => f.path === 'secrets/.env' && f.line === 1);
    expect(key).toMatchObject({ ruleId: 'secret/known-token', column: 19, endColumn: 19 + AWS_KEY_ID.length });
    expect(report.summary.findings).toBe(report.findings.length);
  });

  it('notebooks: line and column in the .ipynb text, plus the cell and the line in the cell', () => {
    const nb = readFileSync(path.join(dir, 'notebooks/load.ipynb'), 'utf8');
    const { report } = json(['scan', 'notebooks'], dir);
    const f = report.findings.find((x) => x.ruleId === 'pin/hf-unpinned-revision');
    expect(f).toBeDefined();
    expect(f).toMatchObject({ path: 'notebooks/load.ipynb', line: lineOf(nb, 'from_pretrained'), cell: 1, cellLine: 3 });
    const text = airlock(['scan', 'notebooks'], dir).stdout;
    expect(text).toMatch(/^notebooks\/load\.ipynb:\d+:\d+ warning pin\/hf-unpinned-revision .* \[cell 2, line 3\]$/m);
    const sarif = JSON.parse(airlock(['scan', 'notebooks', '--format', 'sarif'], dir).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'pin/hf-unpinned-revision');
    expect(result.properties).toMatchObject({ family: 'pin', notebook: { cell: 1, cellLine: 3 } });
    expect(result.locations[0].physicalLocation.region.startLine).toBe(lineOf(nb, 'from_pretrained'));
  });

  it('sarif: a valid 2.1.0 log with rules, 1-based regions and relative paths', () => {
    const r = airlock(['scan', '--format', 'sarif'], dir);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0.*\.json$/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    const driver = run.tool.driver;
    expect(driver.name).toBe('airlock');
    expect(driver.version).toBe(pkg.version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const listed = JSON.parse(airlock(['rules', '--format', 'json'], dir).stdout) as { id: string }[];
    expect(driver.rules.map((x: { id: string }) => x.id)).toEqual(listed.map((x) => x.id));
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toBeTruthy();
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.id.startsWith(`${rule.properties.family}/`)).toBe(true);
    }
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    expect(run.results.length).toBeGreaterThan(0);
    for (const res of run.results) {
      expect(driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text).toBeTruthy();
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|file:)/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine);
      expect(loc.region.endColumn).toBeGreaterThanOrEqual(1);
      expect(res.properties.family).toBe(res.ruleId.split('/')[0]);
      expect(res.partialFingerprints['airlockFingerprint/v1']).toMatch(/^[0-9a-f]{32}(:\d+)?$/);
      for (const fix of res.fixes ?? []) {
        for (const change of fix.artifactChanges) {
          for (const rep of change.replacements) expect(rep.deletedRegion.startLine).toBeGreaterThanOrEqual(1);
        }
      }
    }
    const key = run.results.find(
      (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.ruleId === 'secret/known-token' && x.locations[0].physicalLocation.artifactLocation.uri === 'secrets/.env',
    );
    expect(key.locations[0].physicalLocation.region).toMatchObject({ startLine: 1, startColumn: 19, endLine: 1, endColumn: 19 + AWS_KEY_ID.length });
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  it('never prints a secret value, in any format', () => {
    const outputs = [
      airlock(['scan'], dir),
      airlock(['scan', '--quiet'], dir),
      airlock(['scan', '--color'], dir),
      airlock(['scan', '--format', 'json'], dir),
      airlock(['scan', '--format', 'sarif'], dir),
      airlock(['scan', '--jobs', '2', '--format', 'sarif'], dir),
    ];
    for (const out of outputs) {
      for (const secret of SECRETS) {
        expect(out.stdout).not.toContain(secret);
        expect(out.stderr).not.toContain(secret);
      }
    }
  });

  it('reports the fake secrets (masked)', () => {
    const { report } = json(['scan', 'secrets', 'db'], dir);
    const secrets = report.findings.filter((f) => f.family === 'secret');
    const nb = readFileSync(path.join(dir, 'secrets/leak.ipynb'), 'utf8');
    expect(secrets.map((f) => `${f.path}:${f.line}`).sort()).toEqual(
      ['db/main.tf:4', 'secrets/.env:1', 'secrets/.env:2', `secrets/leak.ipynb:${lineOf(nb, AWS_KEY_ID)}`].sort(),
    );
    for (const f of secrets) expect(f.message).toMatch(/…/);
  });

  it('a secret in a notebook output points into the .ipynb text, with the cell, output and output line', () => {
    const nb = readFileSync(path.join(dir, 'secrets/leak.ipynb'), 'utf8');
    const { report } = json(['scan', 'secrets/leak.ipynb'], dir);
    const f = report.findings.find((x) => x.ruleId === 'secret/known-token');
    expect(f).toMatchObject({ path: 'secrets/leak.ipynb', line: lineOf(nb, AWS_KEY_ID), cell: 0, output: 0, outputLine: 2 });
    const column = nb.split('\n')[lineOf(nb, AWS_KEY_ID) - 1].indexOf(AWS_KEY_ID) + 1;
    expect(f!.column).toBe(column);
    expect(airlock(['scan', 'secrets/leak.ipynb'], dir).stdout).toMatch(
      /^secrets\/leak\.ipynb:\d+:\d+ error secret\/known-token .* \[cell 1, output 1, line 2\]$/m,
    );
    const sarif = JSON.parse(airlock(['scan', 'secrets/leak.ipynb', '--format', 'sarif'], dir).stdout);
    expect(sarif.runs[0].results[0].properties).toMatchObject({ family: 'secret', notebook: { cell: 0, output: 0, outputLine: 2 } });
  });

  it('--output writes the report to a file without colour; the summary goes to stderr', () => {
    const out = path.join(tempDir(), 'report.txt');
    const r = airlock(['scan', '--color', '--output', out], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\d+ findings? .* in 8 files scanned\n$/);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('\x1b[');
    expect(text).toContain('secrets/.env:1:19 error secret/known-token');
    const sarifFile = path.join(tempDir(), 'report.sarif');
    expect(airlock(['scan', '-f', 'sarif', '-o', sarifFile, '-q'], dir).stderr).toBe('');
    expect(JSON.parse(readFileSync(sarifFile, 'utf8')).version).toBe('2.1.0');
  });

  it('--output to a folder that does not exist exits 2', () => {
    const r = airlock(['scan', '--output', path.join(dir, 'no/such/dir/out.txt')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^airlock: cannot write .*: ENOENT$/m);
  });

  it('--color colours severities and dims paths; --quiet prints findings only', () => {
    const coloured = airlock(['scan', '--color'], dir).stdout;
    expect(coloured).toContain('\x1b[31merror\x1b[0m');
    expect(coloured).toContain('\x1b[2msecrets/.env:1:19\x1b[0m');
    const quiet = airlock(['scan', '--quiet'], dir).stdout;
    expect(quiet).not.toMatch(/files scanned/);
    expect(
      quiet
        .trim()
        .split('\n')
        .every((l) => /^\S+:\d+:\d+ /.test(l)),
    ).toBe(true);
  });

  it('worker threads give the same report as one thread', () => {
    const one = airlock(['scan', '--jobs', '1', '--format', 'json'], dir);
    const two = airlock(['scan', '--jobs', '2', '--format', 'json'], dir);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
  });
});

describe('severity threshold', () => {
  it('findings below the threshold are shown but exit 0; --severity info makes them fail', () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'project'), dir, { recursive: true });
    write(dir, '.airlock.yaml', 'rules:\n  "*": info\n');
    const r = airlock(['scan'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ info network\/open-ingress /);
    expect(airlock(['scan', '--severity', 'info'], dir).code).toBe(1);
    expect(airlock(['scan', '--severity', 'warning'], dir).code).toBe(0);
  });

  it('--severity error ignores warnings for the exit code', () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'project'), dir, { recursive: true });
    write(dir, '.airlock.yaml', 'rules:\n  "*": warning\n');
    expect(airlock(['scan'], dir).code).toBe(1);
    const r = airlock(['scan', '--severity', 'error'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ warning network\/open-ingress /);
    const { report } = json(['scan', '--severity', 'error'], dir);
    expect(report.summary).toMatchObject({ threshold: 'error', exitCode: 0 });
  });
});

describe('which files', () => {
  it('respects .gitignore files (root, nested, negated) and .git/info/exclude', () => {
    const dir = gitRepo();
    write(dir, '.gitignore', 'ignored.env\nbuild/\n');
    write(dir, '.git/info/exclude', 'excluded.env\n');
    write(dir, 'ignored.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'excluded.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'build/out.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'sub/.gitignore', '*.env\n!keep.env\n');
    write(dir, 'sub/drop.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'sub/keep.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'node_modules/pkg/key.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'visible.env', `KEY=${AWS_KEY_ID}\n`);
    const { report } = json(['scan'], dir);
    // .gitignore, sub/.gitignore, sub/keep.env, visible.env
    expect(report.summary.filesScanned).toBe(4);
    const paths = new Set(report.findings.map((f) => f.path));
    for (const p of ['ignored.env', 'excluded.env', 'build/out.env', 'sub/drop.env', 'node_modules/pkg/key.env']) expect(paths).not.toContain(p);
    expect([...paths].sort()).toEqual(['sub/keep.env', 'visible.env']);
  });

  it('applies the .gitignore of parent folders when scanning a sub-folder', () => {
    const dir = gitRepo();
    write(dir, '.gitignore', '*.secret\n');
    write(dir, 'app/a.secret', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'app/b.env', 'B=1\n');
    expect(json(['scan', 'app'], dir).report.summary.filesScanned).toBe(1);
    expect(json(['scan'], path.join(dir, 'app')).report.summary.filesScanned).toBe(1);
  });

  it('scans a file named on the command line even if .gitignore lists it', () => {
    const dir = tempDir();
    write(dir, '.gitignore', '*.env\n');
    write(dir, 'local.env', 'A=1\n');
    expect(json(['scan', 'local.env'], dir).report.summary.filesScanned).toBe(1);
  });

  it('respects the config ignore: patterns', () => {
    const dir = tempDir();
    write(dir, '.airlock.yaml', 'ignore:\n  - vendor/\n  - "**/*.generated.tf"\n');
    write(dir, 'vendor/lib/key.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'infra/x.generated.tf', 'locals {}\n');
    write(dir, 'infra/main.tf', 'locals {}\n');
    const { report } = json(['scan'], dir);
    expect(report.findings).toEqual([]);
    expect(report.summary.filesScanned).toBe(2); // .airlock.yaml, infra/main.tf
  });

  it('skips binary and oversized files with a count in the summary', () => {
    const dir = tempDir();
    const binary = Buffer.alloc(512, 7);
    binary[100] = 0;
    binary.write(`KEY=${AWS_KEY_ID}`, 200);
    write(dir, 'image.bin', binary);
    const big = `KEY=${AWS_KEY_ID}\n${'x'.repeat(2048)}\n`;
    write(dir, 'big.env', big);
    write(dir, 'small.env', 'A=1\n');
    const r = airlock(['scan', '--max-file-size', '1KB'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('0 findings (0 errors, 0 warnings, 0 info) in 1 file scanned, skipped 2 files: 1 binary, 1 over 1 KB');
    const { report } = json(['scan', '--max-file-size', '1KB'], dir);
    expect(report.skipped).toEqual([
      { path: 'big.env', reason: 'too-large', size: Buffer.byteLength(big) },
      { path: 'image.bin', reason: 'binary', size: 512 },
    ]);
    expect(report.summary.skipped).toEqual({ binary: 1, tooLarge: 1 });
    const sarif = JSON.parse(airlock(['scan', '--max-file-size', '1KB', '--format', 'sarif'], dir).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(
      notes.map((n: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        n.level,
        n.locations[0].physicalLocation.artifactLocation.uri,
      ]),
    ).toEqual([
      ['note', 'big.env'],
      ['note', 'image.bin'],
    ]);
  });

  it('takes the size limit from the config (default 5 MB)', () => {
    const dir = tempDir();
    write(dir, 'big.txt', 'x'.repeat(5 * 1024 * 1024 + 1));
    write(dir, 'ok.txt', 'x');
    expect(airlock(['scan'], dir).stdout.trim()).toBe('0 findings (0 errors, 0 warnings, 0 info) in 1 file scanned, skipped 1 file: 1 over 5 MB');
    write(dir, '.airlock.yaml', 'maxFileSize: 10MB\n');
    expect(json(['scan'], dir).report.summary).toMatchObject({ filesScanned: 3, skipped: { binary: 0, tooLarge: 0 } });
  });

  it('a file that does not parse is a note, not a crash, and the rest is scanned', () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'broken'), dir, { recursive: true });
    write(dir, 'ok.env', `KEY=${AWS_KEY_ID}\n`);
    const r = airlock(['scan'], dir);
    expect(r.code).not.toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^broken\.tf:\d+:\d+: could not parse: .+$/m);
    expect(r.stdout).toMatch(/^truncated\.json:\d+:\d+: could not parse: .+$/m);
    expect(r.stdout).toMatch(/in 3 files scanned, \d+ parse problems?$/m);
    const { report } = json(['scan'], dir);
    const parse = report.problems.filter((p) => p.kind === 'parse');
    expect(new Set(parse.map((p) => p.path))).toEqual(new Set(['broken.tf', 'truncated.json']));
    for (const p of parse) {
      expect(p.level).toBe('warning');
      expect(p.line).toBeGreaterThanOrEqual(1);
    }
    expect(report.summary.failedFiles).toBe(0);
    const sarif = JSON.parse(airlock(['scan', '--format', 'sarif'], dir).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes.filter((n: { level: string }) => n.level === 'warning').length).toBe(parse.length);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('a --quiet scan with a parse problem prints findings only', () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'broken'), dir, { recursive: true });
    expect(airlock(['scan', '--quiet'], dir).stdout).toBe('');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is reported, the scan goes on, and the exit code is 2', () => {
    const dir = tempDir();
    write(dir, 'ok.env', `KEY=${AWS_KEY_ID}\n`);
    const locked = write(dir, 'locked.env', 'A=1\n');
    chmodSync(locked, 0o000);
    const r = airlock(['scan'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^locked\.env: could not read: EACCES$/m);
    expect(r.stderr).toMatch(/^airlock: 1 file was not scanned: locked\.env/);
  });

  it('uses worker threads for many files and gets the same result', () => {
    const dir = tempDir();
    for (let i = 0; i < 240; i++) write(dir, `mod${i % 12}/f${i}.tf`, `resource "aws_s3_bucket_acl" "b${i}" {\n  acl = "public-read"\n}\n`);
    write(dir, 'mod3/.env', `KEY=${AWS_KEY_ID}\n`);
    const auto = airlock(['scan', '--format', 'json'], dir);
    const single = airlock(['scan', '--jobs', '1', '--format', 'json'], dir);
    // The main thread and two workers, each with two batches in flight.
    const three = airlock(['scan', '--jobs', '3', '--format', 'json'], dir);
    expect(auto.stdout).toBe(single.stdout);
    expect(three.stdout).toBe(single.stdout);
    expect((JSON.parse(auto.stdout) as JsonReport).summary.filesScanned).toBe(241);
  });
});

describe('airlock scan --staged', () => {
  it('scans what is staged, not the working tree (a secret staged, then removed from the file)', () => {
    const dir = gitRepo();
    write(dir, 'config.env', `KEY=${AWS_KEY_ID}\n`);
    git(dir, 'add', 'config.env');
    write(dir, 'config.env', 'KEY=from-vault\n');
    const staged = json(['scan', '--staged'], dir);
    expect(staged.run.code).toBe(1);
    expect(staged.report.findings.map((f) => [f.path, f.ruleId, f.line, f.column])).toEqual([['config.env', 'secret/known-token', 1, 5]]);
    expect(json(['scan'], dir).report.findings).toEqual([]);
    for (const secret of SECRETS) expect(staged.run.stdout).not.toContain(secret);
  });

  it('and the reverse: a clean file staged, a secret only in the working tree', () => {
    const dir = gitRepo();
    write(dir, 'config.env', 'KEY=from-vault\n');
    git(dir, 'add', 'config.env');
    write(dir, 'config.env', `KEY=${AWS_KEY_ID}\n`);
    write(dir, 'untracked.env', `KEY=${AWS_KEY_ID}\n`);
    const staged = json(['scan', '--staged'], dir);
    expect(staged.run.code).toBe(0);
    expect(staged.report.summary.filesScanned).toBe(1);
    expect(staged.report.findings).toEqual([]);
    expect(airlock(['scan'], dir).code).toBe(1);
  });

  it('only added, copied, modified and renamed files; restricted to the given paths', () => {
    const dir = gitRepo();
    write(dir, 'a/one.env', 'A=1\n');
    write(dir, 'b/two.env', 'B=1\n');
    write(dir, 'gone.env', 'C=1\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    write(dir, 'a/one.env', `A=${AWS_KEY_ID}\n`);
    write(dir, 'b/two.env', `B=${AWS_KEY_ID}\n`);
    git(dir, 'rm', '-q', 'gone.env');
    git(dir, 'add', '.');
    expect(json(['scan', '--staged'], dir).report.summary.filesScanned).toBe(2);
    const onlyA = json(['scan', '--staged', 'a'], dir).report;
    expect(onlyA.summary.filesScanned).toBe(1);
    expect(onlyA.findings.map((f) => f.path)).toEqual(['a/one.env']);
    // From a sub-folder: paths stay relative to where airlock runs.
    const fromB = json(['scan', '--staged'], path.join(dir, 'b')).report;
    expect(fromB.findings.map((f) => f.path)).toEqual(['two.env']);
  });

  it('skips staged binary and oversized blobs with a note', () => {
    const dir = gitRepo();
    write(dir, 'blob.bin', Buffer.from([1, 0, 2, 3]));
    write(dir, 'big.txt', 'x'.repeat(4096));
    write(dir, 'ok.txt', 'ok\n');
    git(dir, 'add', '.');
    const r = airlock(['scan', '--staged', '--max-file-size', '2KB'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('0 findings (0 errors, 0 warnings, 0 info) in 1 file scanned, skipped 2 files: 1 binary, 1 over 2 KB');
  });

  it('outside a git repository exits 2', () => {
    const dir = tempDir();
    write(dir, 'a.env', 'A=1\n');
    const r = airlock(['scan', '--staged'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('airlock: --staged needs a git repository, and this is not one');
  });
});

describe('airlock rules and explain', () => {
  it('lists the rules as a table and as JSON', () => {
    const r = airlock(['rules'], ROOT);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+FAMILY\s+SEVERITY\s+FORMATS\s+SUMMARY$/);
    const list = JSON.parse(airlock(['rules', '--format', 'json'], ROOT).stdout) as {
      id: string;
      family: string;
      severity: string;
      formats: string[];
      summary: string;
    }[];
    expect(list.map((x) => x.id)).toEqual([...list.map((x) => x.id)].sort());
    for (const rule of list) {
      expect(rows.some((row) => row.startsWith(`${rule.id} `) && row.includes(rule.summary))).toBe(true);
      expect(rule.id.startsWith(`${rule.family}/`)).toBe(true);
    }
    for (const id of EXPECTED_RULES) expect(list.map((x) => x.id)).toContain(id);
  });

  it('explains a rule: summary, why, fix', () => {
    const r = airlock(['explain', 'secret/known-token'], ROOT);
    expect(r.code).toBe(0);
    const meta = JSON.parse(airlock(['explain', 'secret/known-token', '--format', 'json'], ROOT).stdout);
    expect(meta.id).toBe('secret/known-token');
    expect(r.stdout.split('\n')[0]).toBe('secret/known-token');
    expect(r.stdout).toContain(meta.docs.summary);
    expect(r.stdout).toContain('Why it matters');
    expect(r.stdout).toContain('How to fix');
    expect(r.stdout).toContain(meta.docs.why.split('\n')[0]);
    expect(r.stdout).toContain('/docs/rules/secret/known-token.md');
    // The family may be left out when the name is unique.
    expect(airlock(['explain', 'known-token'], ROOT).stdout).toBe(r.stdout);
  });

  it('an unknown rule exits 2 and suggests close ids', () => {
    const r = airlock(['explain', 'secret/known-tokens'], ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('airlock: unknown rule "secret/known-tokens" (did you mean secret/known-token?)');
    const none = airlock(['explain', 'zzzzzzzzzzzzzzzz'], ROOT);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^airlock: unknown rule "zzzzzzzzzzzzzzzz"/);
    expect(airlock(['explain'], ROOT).code).toBe(2);
  });
});
