import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';

/**
 * Tree-sitter languages, loaded once per process (or worker) and only when a file of that format shows up.
 * The bundles carry the `.wasm` files next to them in `dist/`; from source they come from `node_modules`.
 */

const WASM = {
  runtime: { file: 'web-tree-sitter.wasm', pkg: 'web-tree-sitter' },
  terraform: { file: 'tree-sitter-terraform.wasm', pkg: '@tree-sitter-grammars/tree-sitter-hcl' },
  python: { file: 'tree-sitter-python.wasm', pkg: 'tree-sitter-python' },
} as const;

export type GrammarName = 'terraform' | 'python';

const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));

function locate(which: keyof typeof WASM): string {
  const { file, pkg } = WASM[which];
  const candidates = [
    path.join(here, file),
    path.join(here, '..', 'dist', file),
    path.join(here, '..', 'node_modules', pkg, file),
    path.join(process.cwd(), 'node_modules', pkg, file),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`cannot find ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();
const loaded = new Map<GrammarName, Language>();

export function loadGrammar(name: GrammarName): Promise<Language> {
  let p = languages.get(name);
  if (!p) {
    runtime ??= Parser.init({ locateFile: () => locate('runtime') });
    p = runtime.then(() => Language.load(locate(name))).then((lang) => {
      loaded.set(name, lang);
      return lang;
    });
    languages.set(name, p);
  }
  return p;
}

/** The grammar if `loadGrammar` has finished for it; adapters call this on the synchronous path. */
export function grammar(name: GrammarName): Language {
  const lang = loaded.get(name);
  if (!lang) throw new Error(`grammar ${name} used before loadGrammar('${name}') finished`);
  return lang;
}

const parsers = new Map<GrammarName, Parser>();

/** One reusable parser per grammar. */
export function parserFor(name: GrammarName): Parser {
  let p = parsers.get(name);
  if (!p) {
    p = new Parser();
    p.setLanguage(grammar(name));
    parsers.set(name, p);
  }
  return p;
}
