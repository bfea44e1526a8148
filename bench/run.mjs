#!/usr/bin/env node
// `npm run bench`: Airlock's performance targets, measured on the built bundles (`dist/`), printed as a
// table and written to bench/results.md. Not part of `npm test`: timings depend on the machine.
//
//   node bench/run.mjs [--only latency,scan,parsers,cold,memory] [--quick] [--corpus DIR] [--dist DIR] [--cpu-prof DIR] [--no-write]
//
// --cpu-prof DIR: the servers of the latency and memory runs, and the timed scan, write V8 CPU profiles
// (`node --cpu-prof`: one per thread) into DIR/<run>/ (open them in Chrome DevTools).
//
// Every figure is a median (or a percentile) over repeated runs; every comparison runs its two commands
// alternately in the same run and is reported as a ratio.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyBetween, machine, machineLoad, probeMeter } from './lib/measure.mjs';
import { installPeers, PEERS } from './lib/peers.mjs';
import { coldSection } from './sections/cold.mjs';
import { latencySection } from './sections/latency.mjs';
import { memorySection } from './sections/memory.mjs';
import { parsersSection } from './sections/parsers.mjs';
import { scanSection } from './sections/scan.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = {
    only: ['latency', 'scan', 'parsers', 'cold', 'memory'],
    quick: false,
    write: true,
    corpus: path.resolve(ROOT, '..', 'shared', 'corpus', 'real'),
    dist: path.join(ROOT, 'dist'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--only'))
      opts.only = value()
        .split(',')
        .map((s) => s.trim());
    else if (a === '--quick') opts.quick = true;
    else if (a === '--no-write') opts.write = false;
    else if (a.startsWith('--corpus')) opts.corpus = path.resolve(value());
    else if (a.startsWith('--dist')) opts.dist = path.resolve(value());
    else if (a.startsWith('--cpu-prof')) opts.cpuProf = path.resolve(value());
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const SECTIONS = {
  latency: { title: '1–2. Keystroke latency through the language server, and the CLI-per-save design', run: latencySection },
  scan: { title: '3. Whole-repository scan', run: scanSection },
  parsers: { title: '3 (detail). The parsers alone', run: parsersSection },
  cold: { title: '4. Cold start', run: coldSection },
  memory: { title: '5. Server memory', run: memorySection },
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cli = path.join(opts.dist, 'cli.js');
  const serverJs = path.join(opts.dist, 'server.js');
  if (!existsSync(cli) || !existsSync(serverJs))
    throw new Error(`${opts.dist} holds no cli.js and server.js: run \`npm run build\` (or \`npm ci\`, which builds it) first`);
  const log = (s) => process.stderr.write(`${s}\n`);
  const peers = installPeers(ROOT, log);
  const meter = probeMeter();
  const tmp = mkdtempSync(path.join(tmpdir(), 'airlock-bench-'));
  const m = machine();
  const ctx = {
    root: ROOT,
    cli,
    serverJs,
    secretlintBin: peers.secretlintBin,
    peersDir: peers.dir,
    corpus: opts.corpus,
    tmp,
    meter,
    scanRuns: opts.quick ? 1 : 3,
    coldRuns: opts.quick ? 3 : 15,
    edits: opts.quick ? 40 : 200,
    memoryFiles: opts.quick ? 400 : 2000,
    quick: opts.quick,
    log,
    /** Node options that make a spawned process write a CPU profile named after `name` (none unless --cpu-prof). */
    profileArgs: (name) => (opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(opts.cpuProf, name)] : []),
  };
  if (opts.cpuProf) mkdirSync(opts.cpuProf, { recursive: true });

  const started = new Date();
  const out = [];
  const targets = [];
  const noise = [];
  try {
    for (const name of Object.keys(SECTIONS)) {
      if (!opts.only.includes(name)) continue;
      const section = SECTIONS[name];
      ctx.log(`${section.title}`);
      const before = machineLoad();
      const t0 = performance.now();
      const r = await section.run(ctx);
      const after = machineLoad();
      const busy = busyBetween(before, after);
      noise.push(
        `${name}: load average ${before.load1.toFixed(2)} → ${after.load1.toFixed(2)}, CPUs ${busy === undefined ? '?' : `${(busy * 100).toFixed(0)}%`} busy during the section (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
      out.push(`## ${section.title}`, '');
      if (r.skipped) out.push(`Skipped: ${r.skipped}.`);
      else {
        out.push(...r.lines);
        targets.push(...r.targets);
      }
      out.push('');
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const status = (t) => (t.met === undefined ? '?' : t.met ? 'met' : '**not met**');
  const md = [
    '# Airlock benchmark results',
    '',
    `Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')} with \`npm run bench\`${opts.quick ? ' --quick (fewer runs: indicative only)' : ''} on ${m.cores} cores (${m.cpu}), Node ${m.node}, ${m.platform}. Bundles from \`${path.relative(ROOT, opts.dist) || '.'}/\`; child processes measured with ${meter === 'gnu-time' ? 'GNU time (`/usr/bin/time -f`: wall, user+system CPU, peak RSS)' : meter === 'python' ? "python3's getrusage(RUSAGE_CHILDREN)" : 'wall time only (neither GNU time nor python3 found)'}.`,
    '',
    `Peers, installed by the bench in \`${path.relative(ROOT, ctx.peersDir)}/\` (a folder of their own, not the project's dependencies): ${Object.entries(PEERS)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}.`,
    '',
    'How busy the machine was (other processes included: figures from a busy machine are upper bounds):',
    '',
    ...noise.map((n) => `- ${n}`),
    '',
    '## Targets',
    '',
    '| item | measured | value | target | status |',
    '|---|---|---|---|---|',
    ...targets.map((t) => `| ${t.item} | ${t.what} | ${t.value} | ${t.target} | ${status(t)} |`),
    '',
    ...out,
    // The profile analysis (hand-written, bench/analysis.md) goes along with the figures.
    ...(existsSync(path.join(ROOT, 'bench', 'analysis.md')) ? [readFileSync(path.join(ROOT, 'bench', 'analysis.md'), 'utf8').trimEnd()] : []),
  ].join('\n');
  process.stdout.write(`${md}\n`);
  const complete = Object.keys(SECTIONS).every((k) => opts.only.includes(k));
  if (opts.write && !opts.quick && complete) {
    writeFileSync(path.join(ROOT, 'bench', 'results.md'), `${md}\n`);
    ctx.log('written to bench/results.md');
  } else if (opts.write) {
    ctx.log('partial or quick run: bench/results.md not written');
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
