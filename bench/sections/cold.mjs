// 4. Cold start: `airlock scan` of one small file (whole process), and server start → first diagnostics.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server } from '../lib/lsp.mjs';
import { alternate, measure, ms, summary } from '../lib/measure.mjs';
import { dotenv, kubernetesMulti, terraform } from '../lib/generate.mjs';

export async function coldSection(ctx) {
  const dir = path.join(ctx.tmp, 'cold');
  mkdirSync(dir, { recursive: true });
  const tf = path.join(dir, 'main.tf');
  const k8s = path.join(dir, 'app.yaml');
  const env = path.join(dir, 'app.env');
  writeFileSync(tf, terraform(40));
  writeFileSync(k8s, kubernetesMulti(40));
  writeFileSync(env, dotenv(1));

  const scan = (file) => () => measure(ctx.meter, process.execPath, [ctx.cli, 'scan', file, '--format', 'json'], { cwd: dir });
  const floor = () => measure(ctx.meter, process.execPath, ['-e', '0'], { cwd: dir });
  ctx.log(`  cold CLI starts, ${ctx.coldRuns} alternating rounds…`);
  const [t, y, e, f] = await alternate(ctx.coldRuns, [scan(tf), scan(k8s), scan(env), floor]);
  for (const x of [...t, ...y, ...e]) if (x.code !== 0 && x.code !== 1) throw new Error(`airlock scan failed (exit ${x.code}): ${x.stderr.slice(0, 300)}`);

  // Server: spawn → initialize → open a small .tf → its first diagnostics.
  ctx.log(`  server start → first diagnostics, ${ctx.coldRuns} runs…`);
  const text = terraform(40);
  const serverTimes = [];
  for (let i = 0; i < ctx.coldRuns; i++) {
    const server = new Server(ctx.serverJs, { cwd: dir, debounceMs: 0 });
    try {
      await server.initialize(pathToFileURL(dir).href);
      const uri = pathToFileURL(tf).href;
      const published = server.next(uri, (p) => p.version === 1 || p.version === undefined);
      await server.open(uri, 'terraform', text);
      const p = await published;
      serverTimes.push(p.at - server.t0);
    } finally {
      await server.stop();
    }
  }

  const st = summary(t.map((x) => x.wallMs));
  const sy = summary(y.map((x) => x.wallMs));
  const se = summary(e.map((x) => x.wallMs));
  const sf = summary(f.map((x) => x.wallMs));
  const ss = summary(serverTimes);
  const row = (name, s) => `| ${name} | ${ms(s.median)} | ${ms(s.min)}–${ms(s.max)} |`;
  return {
    lines: [
      '| cold start (whole process) | median | range |',
      '|---|---|---|',
      row('`airlock scan main.tf` (40-line Terraform)', st),
      row('`airlock scan app.yaml` (40-line Kubernetes)', sy),
      row('`airlock scan app.env` (text: token rules only)', se),
      row('`node -e 0` (floor: Node start-up alone)', sf),
      row('server spawn → initialize → open main.tf → first diagnostics', ss),
    ],
    targets: [
      { item: '4', what: 'cold `airlock scan` of one small .tf', value: ms(st.median), target: '≤ 250 ms', met: st.median <= 250 },
      { item: '4', what: 'server start → first diagnostics', value: ms(ss.median), target: '≤ 300 ms', met: ss.median <= 300 },
    ],
  };
}
