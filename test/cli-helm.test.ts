/**
 * Helm charts from the command line: a template's `.Values` resolve from the chart's values.yaml and then from
 * the extra values files of `--helm-values` and `helm: values:` (the last one wins, as `helm -f`), and a values
 * file that is not there is a usage error naming it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const CHART = path.join(__dirname, 'fixtures', 'helm', 'web');

function chartDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-helm-cli-'));
  cpSync(CHART, path.join(dir, 'web'), { recursive: true });
  mkdirSync(path.join(dir, 'deploy'));
  writeFileSync(path.join(dir, 'deploy', 'prod.yaml'), 'image:\n  tag: "1.27.0"\n');
  return dir;
}

function templateImageFindings(dir: string, args: string[]): { status: number | null; stderr: string; lines: number[] } {
  const run = spawnSync(process.execPath, [CLI, 'scan', 'web', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8' });
  const findings = run.stdout ? (JSON.parse(run.stdout).findings as { ruleId: string; path: string; line: number }[]) : [];
  const lines = findings.filter((f) => f.ruleId === 'pin/image-unpinned' && f.path === 'web/templates/deployment.yaml').map((f) => f.line);
  return { status: run.status, stderr: run.stderr, lines };
}

describe('Helm values files', () => {
  it("reads the chart's values.yaml: the template's image is on latest", () => {
    expect(templateImageFindings(chartDir(), []).lines).toEqual([37, 59]);
  });

  it('reads --helm-values after values.yaml: the pinned tag there wins', () => {
    expect(templateImageFindings(chartDir(), ['--helm-values', 'deploy/prod.yaml']).lines).toEqual([59]);
  });

  it('reads helm: values: of .airlock.yaml, relative to the config file', () => {
    const dir = chartDir();
    writeFileSync(path.join(dir, '.airlock.yaml'), 'helm:\n  values:\n    - deploy/prod.yaml\n');
    expect(templateImageFindings(dir, []).lines).toEqual([59]);
  });

  it('refuses a values file that is not there, and a helm key it does not know, naming the file', () => {
    const dir = chartDir();
    const missing = templateImageFindings(dir, ['--helm-values', 'deploy/missing.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing.yaml');
    writeFileSync(path.join(dir, '.airlock.yaml'), 'helm:\n  value: [deploy/prod.yaml]\n');
    const unknown = templateImageFindings(dir, []);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/\.airlock\.yaml:2: helm: unknown key "value"/);
  });
});
