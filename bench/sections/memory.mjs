// 5. Memory: the server's resident set after opening 2,000 files of every format, generated and real.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server } from '../lib/lsp.mjs';
import { mb, ms } from '../lib/measure.mjs';
import { notebookCells, workspace } from '../lib/generate.mjs';

const LANGUAGE = { tf: 'terraform', yaml: 'yaml', yml: 'yaml', json: 'json', py: 'python' };

/** The first `n` text files of the corpus that an editor would open as one of LANGUAGE's kinds, in path order (each under 1 MB). */
function realFiles(corpus, n) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= n) return;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(abs);
      } else if (e.isFile() && LANGUAGE[e.name.slice(e.name.lastIndexOf('.') + 1)] && statSync(abs).size < 1024 * 1024) {
        out.push([path.relative(corpus, abs), readFileSync(abs, 'utf8')]);
      }
    }
  };
  walk(corpus);
  return out;
}

export async function memorySection(ctx) {
  const generated = await openAll(ctx, 'memory', workspace(ctx.memoryFiles), 'files');
  if (!existsSync(ctx.corpus)) return generated;
  const real = await openAll(ctx, 'memory-real', realFiles(ctx.corpus, ctx.memoryFiles), 'real corpus files');
  return { lines: [...generated.lines, '', ...real.lines], targets: [...generated.targets, ...real.targets] };
}

/** Open `files` ([relative path, text]) in one server, each waited on until its diagnostics arrive; the server's RSS then. */
async function openAll(ctx, name, files, what) {
  const dir = path.join(ctx.tmp, name);
  let bytes = 0;
  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    bytes += text.length;
  }
  ctx.log(`  opening ${files.length} ${what} (${(bytes / 1e6).toFixed(1)} MB) in one server…`);
  const server = new Server(ctx.serverJs, { cwd: dir, debounceMs: 0, nodeArgs: ctx.profileArgs(name) });
  let after;
  let elapsed;
  const counts = {};
  try {
    await server.initialize(pathToFileURL(dir).href);
    const before = server.memory();
    const t0 = performance.now();
    // Open in chunks and wait for each chunk's diagnostics, as an editor restoring many tabs would.
    const CHUNK = 50;
    for (let i = 0; i < files.length; i += CHUNK) {
      const chunk = files.slice(i, i + CHUNK);
      const waits = [];
      for (const [rel, text] of chunk) {
        const ext = rel.slice(rel.lastIndexOf('.') + 1);
        counts[ext] = (counts[ext] ?? 0) + 1;
        const abs = path.join(dir, rel);
        const uri = pathToFileURL(abs).href;
        if (ext === 'ipynb') {
          // Notebooks arrive as notebook documents, one text document per cell (the file on disk is the same notebook).
          const cells = notebookCells(20).map((c, k) => ({ ...c, uri: `vscode-notebook-cell:${abs}#W${k}s${k}` }));
          waits.push(server.next(cells[1].uri, () => true, 120_000)); // cell 1 has a finding
          await server.openNotebook(uri, cells);
          continue;
        }
        waits.push(server.next(uri, () => true, 120_000));
        await server.open(uri, LANGUAGE[ext] ?? 'plaintext', text);
      }
      await Promise.all(waits);
    }
    elapsed = performance.now() - t0;
    // Let the server settle (pending GC work) before reading its resident set.
    await new Promise((r) => setTimeout(r, 1000));
    after = { ...server.memory(), before };
  } finally {
    await server.stop();
  }
  return {
    lines: [
      `${files.length} ${what} opened (${Object.entries(counts)
        .map(([k, v]) => `${v} .${k}`)
        .join(', ')}; ${(bytes / 1e6).toFixed(1)} MB of text), each waited on until its diagnostics arrived (${ms(elapsed)} in all).`,
      '',
      `Server RSS: ${mb(after.before.rssMb)} after initialize, ${mb(after.rssMb)} with all files open (peak ${mb(after.peakMb)}). Target ≤ 300 MB.`,
    ],
    // The target is for 2,000 files: a smaller (--quick) run is shown, not judged.
    targets: [
      {
        item: '5',
        what: `server RSS after opening ${files.length} ${what}`,
        value: mb(after.rssMb),
        target: '≤ 300 MB (2,000 files)',
        met: files.length >= 2000 ? after.rssMb <= 300 : undefined,
      },
    ],
  };
}
