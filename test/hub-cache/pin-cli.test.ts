/**
 * `airlock pin` as users run it: the bundled `dist/cli.js` on a project with a notebook, a Python file, a
 * Kubernetes manifest and a Terraform file, against a fake Hugging Face cache in a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeHubCache, sha } from './fake-cache';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const MAIN = sha('a');
const OLD = sha('b');
const SQUAD = sha('c');

const cache = fakeHubCache([
  {
    repo: 'org/model',
    snapshots: [
      { sha: OLD, at: 1_000 },
      { sha: MAIN, at: 2_000 },
    ],
    refs: { main: MAIN },
  },
  { type: 'dataset', repo: 'squad', snapshots: [{ sha: SQUAD, at: 1_000 }], refs: { main: SQUAD } },
]);

const NOTEBOOK = `${JSON.stringify(
  {
    cells: [
      {
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source: ['from transformers import AutoModel\n', 'm = AutoModel.from_pretrained("org/model")'],
      },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['!huggingface-cli download org/model --local-dir out'] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
)}\n`;
const PYTHON = 'from datasets import load_dataset\r\n\r\nds = load_dataset("squad", revision="main")\r\nother = load_dataset("org/uncached")\r\n';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgi
spec:
  template:
    spec:
      containers:
        - name: tgi
          image: ghcr.io/huggingface/text-generation-inference:2.2.0
          env:
            - name: MODEL_ID
              value: org/model
            - name: PORT
              value: "8080"
`;
const TERRAFORM = `resource "aws_sagemaker_model" "llm" {
  name               = "llm"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker"

  primary_container {
    image = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.3.0-tgi2.2.0-gpu-py310-cu121-ubuntu22.04"
    environment = {
      HF_MODEL_ID = "org/model"
      SM_NUM_GPUS = "1"
    }
  }
}
`;

let dir: string;

function files(): Record<string, string> {
  return Object.fromEntries(['train.ipynb', 'load.py', 'k8s/tgi.yaml', 'main.tf'].map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

function pin(args: string[], env: Record<string, string> = { HF_HUB_CACHE: cache }) {
  const r = spawnSync(process.execPath, [CLI, 'pin', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_CACHE: '', HF_HOME: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'airlock-pin-'));
  mkdirSync(path.join(dir, 'k8s'));
  writeFileSync(path.join(dir, 'train.ipynb'), NOTEBOOK);
  writeFileSync(path.join(dir, 'load.py'), PYTHON);
  writeFileSync(path.join(dir, 'k8s/tgi.yaml'), MANIFEST);
  writeFileSync(path.join(dir, 'main.tf'), TERRAFORM);
});

describe('airlock pin', () => {
  it('prints a unified diff of the pins, exits 1 and changes nothing', () => {
    const before = files();
    const r = pin([]);
    expect(r.code).toBe(1);
    expect(files()).toEqual(before);
    // A CRLF file's lines keep their CR, as in git's diffs.
    expect(r.stdout).toContain(
      `--- a/load.py\n+++ b/load.py\n@@ -1,4 +1,4 @@\n from datasets import load_dataset\r\n \r\n-ds = load_dataset("squad", revision="main")\r\n+ds = load_dataset("squad", revision="${SQUAD}")\r\n other = load_dataset("org/uncached")\r\n`,
    );
    expect(r.stdout).toContain(
      `-              value: org/model\n+              value: org/model\n+            - name: REVISION\n+              value: "${MAIN}"\n`,
    );
    expect(r.stdout).toContain(`+      HF_MODEL_REVISION = "${MAIN}"\n`);
    expect(r.stdout).toContain('--- a/train.ipynb');
    expect(r.stderr).toContain('load.py:4: dataset org/uncached at main: not in the cache');
    expect(r.stderr).toContain(`5 Hub loads to pin in 4 files; 1 load without a cached commit (cache: ${cache})`);
    // The diff is one git applies.
    const patch = path.join(dir, '..', `${path.basename(dir)}.patch`);
    writeFileSync(patch, r.stdout);
    expect(spawnSync('git', ['apply', '--check', patch], { cwd: dir, encoding: 'utf8' }).stderr).toBe('');
  });

  it('--write pins a notebook, a Python file, a manifest and a Terraform file to the cached commits, once', () => {
    chmodSync(path.join(dir, 'load.py'), 0o755);
    const r = pin(['--write']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const after = files();
    const cells = JSON.parse(after['train.ipynb']).cells.map((c: { source: string[] }) => c.source.join(''));
    expect(cells).toEqual([
      `from transformers import AutoModel\nm = AutoModel.from_pretrained("org/model", revision="${MAIN}")`,
      `!huggingface-cli download org/model --revision ${MAIN} --local-dir out`,
    ]);
    // Line endings and permissions kept; the uncached load left as it was.
    expect(after['load.py']).toBe(PYTHON.replace('revision="main"', `revision="${SQUAD}"`));
    expect(statSync(path.join(dir, 'load.py')).mode & 0o777).toBe(0o755);
    expect(after['k8s/tgi.yaml']).toBe(
      MANIFEST.replace('value: org/model\n', `value: org/model\n            - name: REVISION\n              value: "${MAIN}"\n`),
    );
    expect(after['main.tf']).toBe(TERRAFORM.replace('HF_MODEL_ID = "org/model"\n', `HF_MODEL_ID = "org/model"\n      HF_MODEL_REVISION = "${MAIN}"\n`));
    // Idempotent: nothing left to pin.
    const again = pin([]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(pin(['--write']).code).toBe(0);
    expect(files()).toEqual(after);
    // What the scan reports afterwards: only the load the cache never saw.
    const scan = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const hub = JSON.parse(scan.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'pin/hf-unpinned-revision');
    expect(hub.map((f: { path: string; line: number }) => `${f.path}:${f.line}`)).toEqual(['load.py:4']);
  });

  it('never guesses: an empty cache pins nothing; --hf-cache names the folder', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'airlock-hf-empty-'));
    const r = pin([], { HF_HUB_CACHE: empty });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('0 Hub loads to pin in 0 files; 6 loads without a cached commit');
    const named = pin(['--hf-cache', cache, 'main.tf'], { HF_HUB_CACHE: empty });
    expect(named.code).toBe(1);
    expect(named.stdout).toContain(`HF_MODEL_REVISION = "${MAIN}"`);
  });

  it('refuses to write through a symbolic link or outside the working folder', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'airlock-pin-out-'));
    writeFileSync(path.join(outside, 'load.py'), PYTHON);
    symlinkSync(path.join(outside, 'load.py'), path.join(dir, 'linked.py'));
    const linked = pin(['--write', 'linked.py']);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain('refusing to write linked.py: it is a symbolic link');
    const far = pin(['--write', path.join(outside, 'load.py')]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('it is outside the working folder');
    expect(readFileSync(path.join(outside, 'load.py'), 'utf8')).toBe(PYTHON);
  });

  it('says how to use it', () => {
    const r = spawnSync(process.execPath, [CLI, 'pin', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: airlock pin [options] [paths...]');
    expect(spawnSync(process.execPath, [CLI, 'pin', '--revision'], { encoding: 'utf8' }).stderr).toContain('unknown option --revision for "pin"');
  });
});
