import { beforeAll, describe, expect, it } from 'vitest';
import { copyTree, NO_ROW } from '../../core/parsers/tree-copy';
import { flatten, type FlatTree } from '../../core/parsers/python/tree';
import { CursorWalk, loadGrammar, parserFor, walkTree, type TreeWalk } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('terraform');
  await loadGrammar('python');
});

/** Every node in document order: how the walk got there, and what it reads there. */
function record(w: TreeWalk): string[] {
  const out: string[] = [];
  const here = (move: string) =>
    out.push(`${move} ${w.typeId()} ${w.startIndex()}-${w.endIndex()} field ${w.fieldId()}${w.isMissing() ? ' missing' : ''}${w.hasError() ? ' error' : ''}`);
  try {
    here('root');
    let depth = 0;
    let move = 'child';
    for (;;) {
      if (w.gotoFirstChild()) {
        depth++;
        move = 'child';
      } else {
        move = 'sibling';
        while (!w.gotoNextSibling()) {
          if (depth === 0 || !w.gotoParent()) return out;
          depth--;
        }
      }
      here(move);
    }
  } finally {
    w.delete();
  }
}

const TEXTS = {
  clean: 'resource "aws_s3_bucket" "b" {\n  bucket = "x-${var.env}"\n  tags = { Name = upper(local.n) }\n  list = [for s in var.l : s.id]\n}\n',
  broken: 'resource "a" "b" {\n  acl =\n  name = "unterminated\n  other = [1, 2\n',
  heredoc: 'locals {\n  p = <<-EOT\n    ${var.a}\n  EOT\n}\n',
};

describe('walkTree', () => {
  it('uses the binding directly with the bundled web-tree-sitter', () => {
    const tree = parserFor('terraform').parse(TEXTS.clean)!;
    const w = walkTree(tree);
    try {
      expect(w).not.toBeInstanceOf(CursorWalk);
    } finally {
      w.delete();
      tree.delete();
    }
  });

  for (const [name, text] of Object.entries(TEXTS)) {
    it(`reads the same nodes as web-tree-sitter's TreeCursor (${name})`, () => {
      const tree = parserFor('terraform').parse(text)!;
      try {
        const fast = record(walkTree(tree));
        expect(fast.length).toBeGreaterThan(10);
        expect(fast).toEqual(record(new CursorWalk(tree)));
      } finally {
        tree.delete();
      }
    });
  }
});

describe('copyTree', () => {
  it('copies every node the copier keeps, each under its nearest kept ancestor, and skips what it leaves out', () => {
    const tree = parserFor('terraform').parse(TEXTS.clean)!;
    try {
      const rows: { type: number; parent: number }[] = [];
      const all = { visit: (w: TreeWalk, parent: number) => rows.push({ type: w.typeId(), parent }) - 1, enter: () => true };
      const root = copyTree(walkTree(tree), all);
      expect(root).toBe(0);
      expect(rows.length).toBe(record(walkTree(tree)).length);
      expect(rows.slice(1).every((r, i) => r.parent >= 0 && r.parent <= i)).toBe(true);

      // Keep only the root and its children: the root's children are copied, nothing under them.
      const shallow: number[] = [];
      const top = { visit: (_w: TreeWalk, parent: number) => (parent > 0 ? NO_ROW : shallow.push(parent) - 1), enter: (row: number) => row === 0 };
      copyTree(walkTree(tree), top);
      expect(shallow[0]).toBe(NO_ROW);
      expect(shallow.slice(1).every((p) => p === 0)).toBe(true);
      expect(shallow.length).toBe(1 + tree.rootNode.childCount);
    } finally {
      tree.delete();
    }
  });
});

describe('flatten (Python)', () => {
  /** The rows `flatten` filled (it reuses one table: copied out before the next call). */
  const rows = (t: FlatTree) => ({
    count: t.count,
    ...Object.fromEntries((['type', 'typeId', 'field', 'start', 'end', 'first', 'next'] as const).map((k) => [k, t[k].slice(0, t.count)])),
    extracted: [...t.extracted],
    error: [...t.error],
  });
  const CELLS = {
    clean: 'import os\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", revision=f"{rev}")\nx = {"token": os.environ["T"]}\n',
    broken: 'login(token="hf_x"\nprint(f"{a", 1\ny = [1, 2\n',
  };
  for (const [name, src] of Object.entries(CELLS)) {
    it(`reads a whole tree through the binding as from its root node through TreeCursor (${name})`, () => {
      const tree = parserFor('python').parse(src)!;
      try {
        const whole = rows(flatten(tree, src));
        expect(whole.count).toBeGreaterThan(10);
        expect(whole).toEqual(rows(flatten(tree.rootNode, src)));
      } finally {
        tree.delete();
      }
    });
  }
});
