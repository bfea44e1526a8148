// The parsers alone, over the corpus's files of each format: which one is the slowest, and the `yaml`
// package against the tree-sitter YAML grammar (measured when `@tree-sitter-grammars/tree-sitter-yaml` is
// installed: `npm install --no-save @tree-sitter-grammars/tree-sitter-yaml`; it is not a dependency).
// CPU time of this process (parsing is single-threaded here), median of alternating rounds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { median, ms } from '../lib/measure.mjs';

function filesOf(dir, test) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules' || e.isSymbolicLink()) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && test(e.name)) out.push(readFileSync(p, 'utf8').replace(/^\uFEFF/, ''));
    }
  };
  visit(dir);
  return out;
}

function cpuMs(fn) {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

export async function parsersSection(ctx) {
  if (!existsSync(ctx.corpus)) return { skipped: `corpus not found: ${ctx.corpus}` };
  const require = createRequire(path.join(ctx.root, 'package.json'));
  const wasmOf = (pkg, file) => path.join(ctx.root, 'node_modules', pkg, file);
  const { Parser: YamlParser, Composer } = require('yaml');
  const { parseTree } = require('jsonc-parser');
  const { Parser, Language } = require('web-tree-sitter');
  await Parser.init({ locateFile: () => wasmOf('web-tree-sitter', 'web-tree-sitter.wasm') });
  const hcl = new Parser();
  hcl.setLanguage(await Language.load(wasmOf('@tree-sitter-grammars/tree-sitter-hcl', 'tree-sitter-terraform.wasm')));
  let tsYaml;
  const tsYamlWasm = wasmOf('@tree-sitter-grammars/tree-sitter-yaml', 'tree-sitter-yaml.wasm');
  if (existsSync(tsYamlWasm)) {
    tsYaml = new Parser();
    tsYaml.setLanguage(await Language.load(tsYamlWasm));
  }

  const tf = filesOf(ctx.corpus, (n) => /\.(tf|tfvars)$/.test(n));
  const yaml = filesOf(ctx.corpus, (n) => /\.ya?ml$/.test(n));
  const json = filesOf(ctx.corpus, (n) => /\.(json|ipynb)$/.test(n));
  const mbOf = (xs) => xs.reduce((n, t) => n + t.length, 0) / 1e6;

  // `yaml` reads process.env per token (see core/runtime.ts): parse as the CLI does, with a plain copy.
  const env = process.env;
  process.env = { ...env };
  const cases = [
    { name: 'Terraform: tree-sitter HCL (wasm)', files: tf, run: (t) => hcl.parse(t).delete() },
    // Airlock reads its model from the syntax tree (`core/adapters/yaml-cst.ts`); the Composer's documents only
    // for texts with anchors, aliases, merge keys or errors.
    {
      name: 'YAML: `yaml` Parser, syntax tree only (what Airlock reads)',
      files: yaml,
      run: (t) => {
        for (const _ of new YamlParser().parse(t));
      },
    },
    {
      name: 'YAML: `yaml` Parser + Composer (documents: the fallback)',
      files: yaml,
      run: (t) => {
        for (const _ of new Composer({ prettyErrors: false }).compose(new YamlParser().parse(t), false, t.length));
      },
    },
    ...(tsYaml ? [{ name: 'YAML: tree-sitter YAML (wasm), parse only', files: yaml, run: (t) => tsYaml.parse(t).delete() }] : []),
    {
      name: 'JSON and notebooks: `JSON.parse` (floor)',
      files: json,
      run: (t) => {
        try {
          JSON.parse(t);
        } catch {
          /* not JSON */
        }
      },
    },
    { name: 'JSON and notebooks: jsonc-parser `parseTree`', files: json, run: (t) => parseTree(t, [], { allowTrailingComma: true }) },
  ];
  const samples = cases.map(() => []);
  const rounds = ctx.quick ? 1 : 3;
  ctx.log(`  ${cases.length} parsers, ${rounds} alternating rounds…`);
  try {
    for (let r = 0; r < rounds; r++) {
      const order = cases.map((_, k) => k);
      if (r % 2 === 1) order.reverse();
      for (const k of order)
        samples[k].push(
          cpuMs(() => {
            for (const t of cases[k].files) cases[k].run(t);
          }),
        );
    }
  } finally {
    process.env = env;
  }
  return {
    lines: [
      'Each parser alone over the corpus files of its format, one thread (CPU time, median of alternating rounds):',
      '',
      '| parser | files | MB | CPU | MB/s |',
      '|---|---|---|---|---|',
      ...cases.map((c, k) => {
        const m = median(samples[k]);
        return `| ${c.name} | ${c.files.length} | ${mbOf(c.files).toFixed(1)} | ${ms(m)} | ${(mbOf(c.files) / (m / 1000)).toFixed(1)} |`;
      }),
      ...(tsYaml ? [] : ['', 'tree-sitter YAML not measured: `npm install --no-save @tree-sitter-grammars/tree-sitter-yaml` to include it.']),
      '',
      "Model conversion comes on top (not shown): Airlock reads `yaml`'s syntax tree into its model in one walk, and a tree-sitter tree (Terraform) through the grammar's cursor into a table of typed arrays first.",
    ],
    targets: [],
  };
}
