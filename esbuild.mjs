// One bundler for the CLI, the language server and the VS Code extension, plus the .wasm grammars.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const out = 'dist';
mkdirSync(out, { recursive: true });

// web-tree-sitter's ESM build reads import.meta.url, which is empty in a CommonJS bundle.
const shim = path.join(out, '.import-meta-shim.js');
writeFileSync(shim, "export const importMetaUrl = require('url').pathToFileURL(__filename).href;\n");

/**
 * `yaml`'s parser reads `process.env.LOG_TOKENS` (a debugging switch that prints every token to stdout, which
 * would also corrupt the CLI's output) once per token it reads; a `process.env` read is a call into the
 * runtime, about a tenth of YAML parsing. The bundle gives that one module a `process` with no environment.
 */
const yamlParserWithoutEnv = {
  name: 'yaml-parser-without-env',
  setup(build) {
    const parser = path.join('node_modules', 'yaml', 'dist', 'parse', 'parser.js');
    build.onResolve({ filter: /^(node:)?process$/ }, (args) =>
      args.importer.endsWith(parser) ? { path: 'process', namespace: 'yaml-parser-process' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'yaml-parser-process' }, () => ({ contents: 'module.exports = { env: {} };', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD entry loads its parts with dynamic requires a bundle cannot follow: take its ESM build.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  inject: [shim],
  define: { 'import.meta.url': 'importMetaUrl' },
  external: ['vscode'],
  plugins: [yamlParserWithoutEnv],
};

const entries = [
  { in: 'cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/main.ts', out: 'server.js' },
  { in: 'client/extension.ts', out: 'extension.js' },
  { in: 'cli/worker.ts', out: 'worker.js' },
  { in: 'server/worker.ts', out: 'server-worker.js' },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: [e.in],
      outfile: path.join(out, e.out),
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);

for (const [file, pkg] of [
  ['web-tree-sitter.wasm', 'web-tree-sitter'],
  ['tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl'],
  ['tree-sitter-python.wasm', 'tree-sitter-python'],
]) {
  copyFileSync(path.join('node_modules', pkg, file), path.join(out, file));
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  // A rebuild writes a new file: keep the CLI executable, or a bin link made by an earlier install (`npx airlock`
  // in this clone, `npm link`) fails with "Permission denied".
  chmodSync(path.join(out, 'cli.js'), 0o755);
}
