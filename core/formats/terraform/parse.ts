import type { Tree } from 'web-tree-sitter';
import type { Node, ParsedFile } from '../../model';
import { shiftComment, shiftNode, shiftProblem, shiftResource } from '../../parsers/shift';
import { parserFor } from '../../wasm';
import { type BlockCache, Converter } from './blocks';
import { readTree, TABLE, typesOf } from './node-table';
import { findSyntaxProblems } from './problems';
import { terraformScripts } from './scripts';

/**
 * Terraform / HCL adapter (`.tf`, `.tfvars`, `.tfvars.json`) on the tree-sitter `terraform` grammar.
 *
 * Offsets: web-tree-sitter reads JS strings as UTF-16, so its `startIndex`/`endIndex` are UTF-16 code
 * units, i.e. JS string offsets into `text`; no conversion is needed.
 *
 * Mapping:
 * - Every top-level block is a `Resource` (`kind` = block type) and also an entry (`form: 'block'`) of the
 *   root map, which holds the top-level attributes too (a `.tfvars` file is only attributes). A JSON
 *   `.tfvars.json` root object becomes the root map.
 * - Block bodies are maps: attributes (`form: 'attribute'`) and nested blocks (`form: 'block'`, `labels`).
 *   Block maps span the braces. `dynamic "x" { content { ... } }` stays as a `dynamic` entry and the
 *   `content` map is also entered under key `x`, so rules looking for `x` blocks see it (the same map object
 *   in both places: a full walk visits it twice). Paths inside it are `[..., 'x', ...]`.
 * - Paths start at the block body; repeated nested blocks share their key (no index); tuple items add
 *   their index; function-call arguments keep the call's path (`jsonencode({ a = 1 })` → `a` is at
 *   `[..., 'attr', 'a']`).
 * - Literals (strings without interpolation, heredocs without interpolation, numbers, negative numbers,
 *   `true`/`false`, `null`) are scalars. Objects are maps (object entries have no `form`), tuples lists.
 *   Everything else is an `ExprNode`: `refs` lists the traversals inside (`var.x`, `aws_s3_bucket.b.id`;
 *   index brackets and splats are dropped, so `aws_instance.a[0].id` → `aws_instance.a.id`; for-expression
 *   iterators and bare object keys are not refs). Function calls carry `fn` and converted `args`. Templates
 *   carry `literalParts`: the literal text between interpolations/directives, `holes + 1` pieces, so an
 *   empty last piece means the template ends with an interpolation.
 * - Heredoc values are the body lines including the final newline, `<<-` bodies dedented; `contentSpan` is
 *   the raw body.
 *
 * Broken input: at most five problems (adjacent ones merged), worded for a person typing ("missing value
 * for \"acl\"", "unterminated string", "missing }: this block is not closed..."). Recovery beyond what
 * tree-sitter does: `name =` with nothing after it is dropped (the next line's attribute is kept), and a
 * top-level block (`resource "a" "b" {` at column 0) that an unclosed block swallowed is made top-level
 * again. An unterminated quoted string swallows the rest of the file; keeping the last good result then
 * is the caller's business.
 *
 * Incremental use: pass the previous `tree` after `tree.edit(new Edit({...}))`. Besides tree-sitter's own
 * re-parse, unchanged top-level blocks are taken from the previous result instead of being converted again.
 *
 * Speed: the tree is first copied, in one cursor walk, into a `NodeTable` (`node-table.ts`); the conversion
 * then reads only the table: bodies and blocks (`blocks.ts`), expressions (`expressions.ts`), references and
 * comments (`references.ts`), and the syntax problems (`problems.ts`).
 */

export type TerraformTree = Tree;

export type TerraformFile = ParsedFile & { tree: TerraformTree };

/**
 * Parse Terraform text into the model. Pass the previous tree of the same document, already updated with
 * `tree.edit(...)`, to re-parse incrementally. The grammar must be loaded (`loadGrammar('terraform')`).
 * Never throws on bad input: syntax errors become `problems`, and every block the parser recovers is kept.
 */
export function parseTerraform(uri: string, text: string, previous?: TerraformTree): TerraformFile {
  const parser = parserFor('terraform');
  let tree: Tree | null = null;
  try {
    tree = parser.parse(text, previous ?? null);
  } catch {
    tree = null;
  }
  // An old tree that does not match the text (or a parser left in a bad state) must not break analysis.
  if (!tree) {
    parser.reset();
    tree = parser.parse(text);
  }
  if (!tree) throw new Error('tree-sitter returned no tree for a Terraform file');

  const recovering = tree.rootNode.hasError;
  const cache = previous ? blockCaches.get(previous) : undefined;
  const types = typesOf(tree.language);
  const root = readTree(TABLE, tree, types, text, recovering, cache);
  const c = new Converter(text, recovering, cache, TABLE, types);
  const roots = c.file(root);
  const problems = findSyntaxProblems(text, TABLE, types, root, [...c.extraProblems], c.explained);
  TABLE.trim();
  blockCaches.set(tree, c.cache);
  return {
    uri,
    format: 'terraform',
    text,
    resources: c.resources,
    roots,
    comments: c.sortedComments(),
    problems,
    shellScripts: terraformScripts(c.resources, text),
    toFileSpan: (s) => s,
    tree,
  };
}

/**
 * `parseTerraform` for a file parsed once, never re-parsed from its tree (a scan, a file read from disk).
 * A repository often holds the same file many times (generated modules, copied examples), one copy after
 * the other in a scan: a text met among the last few parsed here gets a copy of that result, model and
 * tree (`Tree.copy` shares tree-sitter's nodes), instead of a parse. Its tree carries no converted blocks
 * for an incremental re-parse to reuse.
 */
export function parseTerraformFile(uri: string, text: string): TerraformFile {
  if (text.length > RECENT_MAX_CHARS) return parseTerraform(uri, text);
  const i = RECENT.findIndex((r) => r.text === text);
  if (i >= 0) {
    const [r] = RECENT.splice(i, 1);
    RECENT.unshift(r);
    return repeat(uri, text, r);
  }
  const file = parseTerraform(uri, text);
  RECENT.unshift({ ...file, tree: file.tree.copy() });
  for (const old of RECENT.splice(RECENT_COUNT)) old.tree.delete();
  return file;
}

/** The last files `parseTerraformFile` parsed, most recent first, each with its own copy of the tree. */
const RECENT: TerraformFile[] = [];
const RECENT_COUNT = 8;
/** Larger files are not kept: the trees held here stay small. */
const RECENT_MAX_CHARS = 64 * 1024;

/** `file`, parsed before from the same text, for `uri`: its own copy of everything. */
function repeat(uri: string, text: string, file: TerraformFile): TerraformFile {
  const seen = new Map<Node, Node>();
  return {
    uri,
    format: 'terraform',
    text,
    resources: file.resources.map((r) => shiftResource(r, 0, seen)),
    roots: file.roots.map((n) => shiftNode(n, 0, seen)),
    comments: file.comments.map((c) => shiftComment(c, 0)),
    problems: file.problems.map((p) => shiftProblem(p, 0)),
    shellScripts: file.shellScripts,
    toFileSpan: (s) => s,
    tree: file.tree.copy(),
  };
}

const blockCaches = new WeakMap<Tree, BlockCache>();
