/**
 * The GitHub Action: `action.yml` is a composite action (setup-node, build, scan) whose scan step is
 * `action/scan.sh`, run here as the runner runs it — inputs as INPUT_* variables, outputs to $GITHUB_OUTPUT
 * — against the bundled CLI in a temporary repository.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, tempDir } from './clone';

const SCRIPT = path.join(ROOT, 'action', 'scan.sh');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';

interface Step {
  uses?: string;
  run?: string;
  shell?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = tempDir('airlock-action-');
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** The scan step with these inputs, in `cwd`: exit code, log and the outputs it wrote. */
function runStep(cwd: string, inputs: Record<string, string>, cli = CLI) {
  const outputFile = path.join(cwd, '.github-output');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_CLI: cli, GITHUB_OUTPUT: outputFile, NO_COLOR: '1' };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  const r = spawnSync('bash', [SCRIPT], { cwd, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: r.status, log: `${r.stdout}${r.stderr}`, outputs };
}

describe('action.yml', () => {
  it('is a composite action that sets up Node, builds Airlock and runs the scan script', () => {
    expect(action.runs.using).toBe('composite');
    const [setup, build, scan] = action.runs.steps;
    expect(setup.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(setup.with?.['node-version']).toBe('${{ inputs.node-version }}');
    expect(build.run).toContain('node esbuild.mjs');
    expect(scan.run).toContain('action/scan.sh');
    accessSync(SCRIPT, constants.X_OK);
  });

  it('passes every input to the script and exposes its outputs', () => {
    const scan = action.runs.steps.find((s) => s.id === 'scan')!;
    for (const name of ['paths', 'severity', 'baseline', 'config', 'cache-location', 'sarif-file', 'fail-on-findings']) {
      expect(action.inputs).toHaveProperty(name);
      expect(scan.env?.[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]).toBe(`\${{ inputs.${name} }}`);
    }
    expect(action.outputs['sarif-file'].value).toBe('${{ steps.scan.outputs.sarif-file }}');
    expect(action.outputs['exit-code'].value).toBe('${{ steps.scan.outputs.exit-code }}');
  });
});

describe('action/scan.sh', () => {
  it('writes SARIF with the findings and fails the step on findings at the threshold', () => {
    const dir = workspace({ 'app/.env': `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`, 'infra/main.tf': 'locals {}\n' });
    const r = runStep(dir, { paths: 'app\ninfra', severity: 'warning', 'sarif-file': 'out/airlock.sarif' });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ 'sarif-file': 'out/airlock.sarif', 'exit-code': '1' });
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out', 'airlock.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('secret/known-token');
    expect(r.log).toContain('in 2 files scanned');
    expect(r.log).not.toContain(AWS_KEY_ID);
  });

  it("reports without failing when fail-on-findings is 'false'", () => {
    const dir = workspace({ '.env': `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n` });
    const r = runStep(dir, { 'fail-on-findings': 'false' });
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(readFileSync(path.join(dir, 'airlock.sarif'), 'utf8')).toContain('secret/known-token');
  });

  it('passes on a clean tree and fails with exit 2 on a missing path even when findings may not fail', () => {
    const dir = workspace({ 'main.tf': 'locals {}\n' });
    expect(runStep(dir, {}).code).toBe(0);
    const missing = runStep(dir, { paths: 'nowhere', 'fail-on-findings': 'false' });
    expect(missing.code).toBe(2);
    expect(missing.log).toContain('no such file or directory: nowhere');
  });

  it('turns cache-location into --cache, and a second run reads the unchanged folders back', () => {
    const dir = workspace({ 'app/.env': `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`, 'infra/main.tf': 'locals {}\n' });
    const first = runStep(dir, { paths: 'app infra', 'cache-location': '.cache/airlock' });
    expect(first.code).toBe(1);
    expect(first.log).toContain('airlock: cache: 0 of 2 folders unchanged (read back), 2 scanned');
    const second = runStep(dir, { paths: 'app infra', 'cache-location': '.cache/airlock' });
    expect(second.code).toBe(1);
    expect(second.log).toContain('airlock: cache: 2 of 2 folders unchanged (read back), 0 scanned');
    expect(readFileSync(path.join(dir, 'airlock.sarif'), 'utf8')).toContain('secret/known-token');
  });

  it('maps severity, baseline and config to the command line, paths after --, never globbed', () => {
    const dir = workspace({});
    const recorder = path.join(dir, 'record.js');
    writeFileSync(recorder, "require('fs').writeFileSync('argv.json', JSON.stringify(process.argv.slice(2)));\n");
    const r = runStep(dir, { paths: 'a *.tf', severity: 'error', baseline: '.airlock-baseline.json', config: 'ci/airlock.yaml' }, recorder);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'argv.json'), 'utf8'))).toEqual([
      'scan',
      '--format',
      'sarif',
      '--output',
      'airlock.sarif',
      '--severity',
      'error',
      '--baseline',
      '.airlock-baseline.json',
      '--config',
      'ci/airlock.yaml',
      '--',
      'a',
      '*.tf',
    ]);
  });
});

describe('the documented workflow', () => {
  it('runs the action and uploads its SARIF to code scanning even when the scan fails', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n(# \.github\/workflows\/airlock\.yml\n[\s\S]*?)```/.exec(readme);
    expect(block, 'README has a .github/workflows/airlock.yml example').not.toBeNull();
    const workflow = parse(block![1]) as { permissions: Record<string, string>; jobs: Record<string, { steps: (Step & { if?: string; name?: string })[] }> };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = Object.values(workflow.jobs)[0].steps;
    const scan = steps.find((s) => s.uses?.startsWith('airlock-dev/airlock@'));
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(scan?.id).toBeTruthy();
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.sarif_file).toBe(`\${{ steps.${scan!.id}.outputs.sarif-file }}`);
  });
});
