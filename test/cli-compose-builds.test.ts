/**
 * `airlock scan` and Compose services built from a Dockerfile: the Dockerfile is read as the Compose file's
 * context whatever the scan names or how it splits files between threads, and never from outside the folder the
 * scan runs in.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');

const COMPOSE = 'services:\n  app:\n    build:\n      context: ./app\n      target: serve\n    ports:\n      - "8501:8501"\n';
// The `serve` stage starts Streamlit on every interface; the last stage is a test runner that starts nothing.
const DOCKERFILE =
  'FROM python:3.12-slim AS serve\nRUN pip install --no-cache-dir streamlit==1.39.0\nCMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0"]\n\nFROM serve AS test\nCMD ["pytest"]\n';

function project(filler: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-compose-build-'));
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
  writeFileSync(path.join(dir, 'app', 'Dockerfile'), DOCKERFILE);
  for (let i = 0; i < filler; i++) writeFileSync(path.join(dir, 'docs', `note-${i}.txt`), 'nothing to see\n');
  return dir;
}

function findings(cwd: string, args: string[]): string[][] {
  const run = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json'], { cwd, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  const all = JSON.parse(run.stdout).findings as { ruleId: string; path: string; line: number; related?: { path: string; line: number; message: string }[] }[];
  return all
    .filter((f) => f.ruleId === 'network/ai-service-exposed')
    .map((f) => [`${f.path}:${f.line}`, ...(f.related ?? []).map((r) => `${r.path}:${r.line}: ${r.message}`)]);
}

const expected = [
  [
    'compose.yaml:3',
    'app/Dockerfile:3: the image starts Streamlit app here',
    'compose.yaml:7: exposed: service "app" publishes it as "8501:8501" on every host interface',
  ],
];

describe('Compose services built from a Dockerfile', () => {
  it('reads the target stage of the Dockerfile when only the Compose file is named (a pre-commit hook)', () => {
    expect(findings(project(0), ['compose.yaml'])).toEqual(expected);
  });

  it('when the Compose file and the Dockerfile land in different batches', () => {
    expect(findings(project(60), ['.'])).toEqual(expected);
    expect(findings(project(60), ['.', '--jobs', '2'])).toEqual(expected);
  });

  it('never reads a Dockerfile outside the folder the scan runs in', () => {
    const dir = project(0);
    mkdirSync(path.join(dir, 'deploy'));
    writeFileSync(path.join(dir, 'deploy', 'compose.yaml'), COMPOSE.replace('./app', '../app'));
    const run = spawnSync(process.execPath, [CLI, 'scan', 'compose.yaml', '--format', 'json'], { cwd: path.join(dir, 'deploy'), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });
});
