import type { Span } from '../../model';
import type { N, NodeTable, Types } from './node-table';

/** Reading the node table of one parse: node accessors and the text around nodes. */
export class TreeReader {
  constructor(
    protected readonly text: string,
    private readonly nodes: NodeTable,
    protected readonly types: Types,
  ) {}

  protected type(n: N): string {
    return this.types.names[this.nodes.typeId(n)];
  }

  protected typeId(n: N): number {
    return this.nodes.typeId(n);
  }

  /** Never holds a reference or a comment (`LEAVES`). */
  protected isLeaf(n: N): boolean {
    return this.types.leaf[this.nodes.typeId(n)] === 1;
  }

  protected isNamed(n: N): boolean {
    return this.types.named[this.nodes.typeId(n)] === 1;
  }

  protected first(n: N): N {
    return this.nodes.firstChild(n);
  }

  protected next(n: N): N {
    return this.nodes.nextSibling(n);
  }

  protected lastChild(n: N): N {
    return this.nodes.lastChild(n);
  }

  protected parent(n: N): N {
    return this.nodes.parentOf(n);
  }

  protected flags(n: N): number {
    return this.nodes.flagsOf(n);
  }

  protected start(n: N): number {
    return this.nodes.startOf(n);
  }

  protected end(n: N): number {
    return this.nodes.endOf(n);
  }

  protected span(n: N): Span {
    return { start: this.nodes.startOf(n), end: this.nodes.endOf(n) };
  }

  protected slice(n: N): string {
    return this.text.slice(this.nodes.startOf(n), this.nodes.endOf(n));
  }

  protected atLineStart(offset: number): boolean {
    if (offset === 0) return true;
    const c = this.text.charCodeAt(offset - 1);
    return c === 10 || c === 13;
  }

  protected lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    const end = nl < 0 ? this.text.length : nl;
    return end > offset && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  }

  protected lineOf(offset: number): number {
    let line = 0;
    const text = this.text;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
  }
}
