// Measuring whole processes (wall time, CPU time, peak RSS) and summarising repeated samples.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * How child processes are measured:
 * - `gnu-time`: `/usr/bin/time -f` (GNU time) reports the child's user+system CPU and its peak RSS (ru_maxrss,
 *   the largest resident set of the process, all its threads included);
 * - `python`: the same numbers from `resource.getrusage(RUSAGE_CHILDREN)` in a tiny python3 wrapper;
 * - `wall`: neither is available — wall time only.
 */
export function probeMeter() {
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'true'], { encoding: 'utf8' });
    if (r.status === 0 && /^[\d.]+ [\d.]+ [\d.]+ \d+\s*$/m.test(r.stderr)) return 'gnu-time';
  }
  const py = spawnSync('python3', ['-c', 'import resource; print(1)'], { encoding: 'utf8' });
  if (py.status === 0) return 'python';
  return 'wall';
}

const PY_WRAPPER = `
import os, resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], 'w') as f:
    f.write('%f %f %f %d\\n' % (wall, u.ru_utime, u.ru_stime, u.ru_maxrss))
sys.exit(rc)
`;

/**
 * Run `cmd args` to completion and measure it. Resolves `{ wallMs, cpuMs, rssMb, code, stdout, stderr }`
 * (`cpuMs`/`rssMb` undefined with the `wall` meter). Wall time includes the command's process start-up, as a
 * user waiting for the command sees it (with GNU time, its own tiny start-up too).
 */
export function measure(meter, cmd, args, { cwd, env, input } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-bench-m-'));
  const out = path.join(dir, 'usage');
  let file = cmd;
  let argv = args;
  if (meter === 'gnu-time') {
    file = '/usr/bin/time';
    argv = ['-o', out, '-f', '%e %U %S %M', cmd, ...args];
  } else if (meter === 'python') {
    file = 'python3';
    argv = ['-c', PY_WRAPPER, out, cmd, ...args];
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.stdin.end(input ?? '');
    child.on('close', (code) => {
      let wallMs = performance.now() - t0;
      let cpuMs;
      let rssMb;
      if (meter !== 'wall') {
        try {
          const lines = readFileSync(out, 'utf8').trim().split('\n');
          const [wall, user, sys, rss] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
          cpuMs = (user + sys) * 1000;
          rssMb = rss / 1024;
          // The wrapper's own clock leaves python's start-up out.
          if (meter === 'python') wallMs = wall * 1000;
        } catch {
          // the meter failed: wall time only
        }
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ wallMs, cpuMs, rssMb, code, stdout, stderr });
    });
  });
}

export function quantile(xs, q) {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const median = (xs) => {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function summary(xs) {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x));
  return { n: s.length, median: median(s), p95: quantile(s, 0.95), min: Math.min(...s), max: Math.max(...s) };
}

/**
 * Run two (or more) measurements alternately: round i runs them in order, round i+1 in reverse order, so
 * neither always runs first (warm caches, a neighbour's burst of work). Returns one array of samples each.
 */
export async function alternate(runs, fns) {
  const samples = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    const order = fns.map((_, k) => k);
    if (i % 2 === 1) order.reverse();
    for (const k of order) samples[k].push(await fns[k]());
  }
  return samples;
}

/** What the machine is doing: load averages and the share of CPU time other processes used since `since`. */
export function machineLoad() {
  const [l1, l5] = loadavg();
  return { load1: l1, load5: l5, busy: cpuBusy() };
}

function cpuBusy() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3] + (line[4] ?? 0);
    const total = line.reduce((a, b) => a + b, 0);
    return { idle, total };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU time that was busy between two `machineLoad()` readings (0..1). */
export function busyBetween(a, b) {
  if (!a?.busy || !b?.busy) return undefined;
  const total = b.busy.total - a.busy.total;
  return total > 0 ? 1 - (b.busy.idle - a.busy.idle) / total : undefined;
}

export function machine() {
  const c = cpus();
  return { cores: c.length, cpu: c[0]?.model?.trim() ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` };
}

export const ms = (x) =>
  x === undefined
    ? '—'
    : x >= 10_000
      ? `${(x / 1000).toFixed(1)} s`
      : x >= 1000
        ? `${(x / 1000).toFixed(2)} s`
        : x >= 100
          ? `${x.toFixed(0)} ms`
          : x >= 10
            ? `${x.toFixed(1)} ms`
            : `${x.toFixed(2)} ms`;
export const mb = (x) => (x === undefined ? '—' : `${x.toFixed(0)} MB`);
export const ratio = (x) => (x === undefined ? '—' : x >= 100 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);
