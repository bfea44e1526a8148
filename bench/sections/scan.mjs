// 3. Whole-repository scan: `airlock scan` against secretlint 13 (recommended preset) over the same files,
// alternating, with ripgrep as the floor of reading the bytes, and where Airlock's time goes per format.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alternate, mb, measure, ms, ratio, summary } from '../lib/measure.mjs';

function countFiles(dir) {
  let n = 0;
  let bytes = 0;
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules' || e.isSymbolicLink()) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) {
        n++;
        bytes += readFileSync(p).length;
      }
    }
  };
  visit(dir);
  return { files: n, bytes };
}

function hasRipgrep() {
  return spawnSync('rg', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** secretlint's config for the comparison, and a check that it really finds a token with it. */
function secretlintSetup(ctx) {
  const rc = path.join(ctx.tmp, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const canary = path.join(ctx.tmp, 'secretlint-canary');
  mkdirSync(canary, { recursive: true });
  // A GitHub token shape (random, not a real token): secretlint must report it and exit 1.
  writeFileSync(path.join(canary, 'settings.env'), 'GITHUB_TOKEN=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\n');
  const r = spawnSync(process.execPath, [ctx.secretlintBin, '**/*', '--secretlintrc', rc, '--format', 'json'], { cwd: canary, encoding: 'utf8' });
  let found = 0;
  try {
    found = JSON.parse(r.stdout).reduce((a, f) => a + f.messages.length, 0);
  } catch {
    // not JSON: reported below
  }
  if (r.status !== 1 || found !== 1) {
    throw new Error(`secretlint sanity check failed (exit ${r.status}, ${found} findings): ${r.stderr.slice(0, 300)}`);
  }
  return rc;
}

export async function scanSection(ctx) {
  const corpus = ctx.corpus;
  if (!existsSync(corpus)) return { skipped: `corpus not found: ${corpus}` };
  const { files, bytes } = countFiles(corpus);
  const rc = secretlintSetup(ctx);
  const airlockOut = path.join(ctx.tmp, 'airlock-scan.json');
  const secretlintOut = path.join(ctx.tmp, 'secretlint-scan.json');
  const rg = hasRipgrep();

  const airlock = () => measure(ctx.meter, process.execPath, [ctx.cli, 'scan', '.', '--format', 'json', '--output', airlockOut], { cwd: corpus });
  // The same scan on one thread (`--jobs 1`: one worker with a bounded heap, the main thread collecting): what the
  // default's threads bring, and the least memory a scan takes.
  const airlockOne = () =>
    measure(ctx.meter, process.execPath, [ctx.cli, 'scan', '.', '--jobs', '1', '--format', 'json', '--output', airlockOut], { cwd: corpus });
  // `**/*` quoted (secretlint expands it itself); secrets are masked by default; JSON to a file so the
  // terminal formatter is not measured. Exit 0: no secret, 1: secrets found — both are a completed scan.
  const secretlint = () =>
    measure(ctx.meter, process.execPath, [ctx.secretlintBin, '**/*', '--secretlintrc', rc, '--format', 'json', '--output', secretlintOut], { cwd: corpus });
  // Reading every byte once: a fixed string no file holds (exit 1: no match). --hidden: dotfiles too, as Airlock.
  const ripgrep = () => measure(ctx.meter, 'rg', ['--hidden', '-c', '-F', 'airlock-bench-no-such-string-7f3a9', '.'], { cwd: corpus });

  ctx.log(`  scanning ${files} files (${(bytes / 1e6).toFixed(0)} MB), ${ctx.scanRuns} alternating rounds…`);
  const fns = [airlock, secretlint, airlockOne, ...(rg ? [ripgrep] : [])];
  const [a, s, one, r] = await alternate(ctx.scanRuns, fns);

  for (const x of [...a, ...one]) if (x.code !== 0 && x.code !== 1) throw new Error(`airlock scan failed (exit ${x.code}): ${x.stderr.slice(0, 300)}`);
  for (const x of s) if (x.code !== 0 && x.code !== 1) throw new Error(`secretlint failed (exit ${x.code}): ${x.stderr.slice(0, 300)}`);
  const report = JSON.parse(readFileSync(airlockOut, 'utf8'));
  const slReport = JSON.parse(readFileSync(secretlintOut, 'utf8'));
  const slFiles = slReport.length;
  const slFindings = slReport.reduce((n, f) => n + f.messages.length, 0);

  // One more Airlock run that records where its time goes (threads' time, summed).
  const timingFile = path.join(ctx.tmp, 'airlock-timing.json');
  const timed = await measure(ctx.meter, process.execPath, [...ctx.profileArgs('scan'), ctx.cli, 'scan', '.', '--format', 'json', '--output', airlockOut], {
    cwd: corpus,
    env: { ...process.env, AIRLOCK_TIMING: timingFile },
  });
  const timing = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, 'utf8')) : undefined;
  rmSync(timingFile, { force: true });

  const sa = { wall: summary(a.map((x) => x.wallMs)), cpu: summary(a.map((x) => x.cpuMs)), rss: summary(a.map((x) => x.rssMb)) };
  const st = { wall: summary(one.map((x) => x.wallMs)), cpu: summary(one.map((x) => x.cpuMs)), rss: summary(one.map((x) => x.rssMb)) };
  const ss = { wall: summary(s.map((x) => x.wallMs)), cpu: summary(s.map((x) => x.cpuMs)), rss: summary(s.map((x) => x.rssMb)) };
  const sr = r ? { wall: summary(r.map((x) => x.wallMs)), cpu: summary(r.map((x) => x.cpuMs)), rss: summary(r.map((x) => x.rssMb)) } : undefined;
  const wallRatio = ss.wall.median / sa.wall.median;
  const cpuRatio = ss.cpu.median !== undefined && sa.cpu.median !== undefined ? ss.cpu.median / sa.cpu.median : undefined;

  const range = (x) => (x.n > 1 ? ` (${ms(x.min)}–${ms(x.max)})` : '');
  const lines = [
    `Files: ${files} (${(bytes / 1e6).toFixed(1)} MB). Airlock scanned ${report.summary.filesScanned} (${report.findings.length} findings, ${report.summary.parseProblems} parse problems); secretlint reported on ${slFiles} files (${slFindings} findings).`,
    '',
    '| command | wall (median, range) | CPU user+sys | peak RSS |',
    '|---|---|---|---|',
    `| \`airlock scan\` (all rule families, ${timing?.threads > 1 ? `${timing.threads} threads: the main thread and ${timing.threads - 1} worker${timing.threads > 2 ? 's' : ''}` : 'one thread'}) | ${ms(sa.wall.median)}${range(sa.wall)} | ${ms(sa.cpu.median)} | ${mb(sa.rss.max)} |`,
    `| \`airlock scan --jobs 1\` (the same, one thread: one worker with a bounded heap) | ${ms(st.wall.median)}${range(st.wall)} | ${ms(st.cpu.median)} | ${mb(st.rss.max)} |`,
    `| \`secretlint "**/*"\` (recommended preset) | ${ms(ss.wall.median)}${range(ss.wall)} | ${ms(ss.cpu.median)} | ${mb(ss.rss.max)} |`,
    sr
      ? `| \`rg\` over the same files (floor: reading the bytes) | ${ms(sr.wall.median)}${range(sr.wall)} | ${ms(sr.cpu.median)} | ${mb(sr.rss.max)} |`
      : '| `rg` | not installed (`apt-get install -y ripgrep`) | | |',
    '',
    `Ratio secretlint / Airlock: wall ${ratio(wallRatio)}, CPU ${ratio(cpuRatio)} (target ≥ 1.0, stretch 2.0). Airlock peak RSS ${mb(sa.rss.max)} (target ≤ 400 MB).`,
  ];
  if (timing) {
    lines.push(
      '',
      `Where Airlock's time goes (one more run, wall ${ms(timed.wallMs)}; thread time summed over ${timing.threads || 1} thread(s), walk ${ms(timing.walkMs)}):`,
      '',
    );
    lines.push('| format | files | not parsed (no rule applies) | MB | read | parse | rules + report |', '|---|---|---|---|---|---|---|');
    const fmts = Object.entries(timing.formats).sort((x, y) => y[1].parseMs + y[1].analyzeMs - (x[1].parseMs + x[1].analyzeMs));
    for (const [f, t] of fmts)
      lines.push(
        `| ${f} | ${t.files} | ${(t.prefiltered ?? 0) - (t.parsedForNeighbours ?? 0)} | ${(t.bytes / 1e6).toFixed(1)} | ${ms(t.readMs)} | ${ms(t.parseMs)} | ${ms(t.analyzeMs)} |`,
      );
    const rules = Object.entries(timing.rules).sort((x, y) => y[1] - x[1]);
    const total = rules.reduce((n, [, v]) => n + v, 0);
    lines.push(
      '',
      `Rules, slowest first (${ms(total)} in all): ${rules
        .slice(0, 8)
        .map(([id, v]) => `${id} ${ms(v)}`)
        .join(', ')}.`,
    );
    lines.push(
      "Notebook cells are parsed as Python lazily, on a rule's first look, so that parse counts under the rule. A file no enabled rule can report on (by the rules' prefilters: resource types, keys) is read but not parsed, unless a rule of a neighbouring file of its folder reads it.",
    );
  }
  return {
    lines,
    targets: [
      { item: '3', what: 'whole-repo scan, secretlint wall / Airlock wall', value: ratio(wallRatio), target: '≥ 1.0 (stretch 2.0)', met: wallRatio >= 1 },
      {
        item: '3',
        what: 'whole-repo scan, Airlock peak RSS',
        value: mb(sa.rss.max),
        target: '≤ 400 MB',
        met: sa.rss.max === undefined ? undefined : sa.rss.max <= 400,
      },
    ],
  };
}
