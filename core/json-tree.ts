import { parseTree, type Node as JsonNode, type ParseError, type ParseOptions } from 'jsonc-parser';

/**
 * `jsonc-parser`'s `parseTree`, faster for valid JSON. jsonc-parser scans every character in JavaScript,
 * which is most of the cost of a notebook whose outputs hold megabytes of base64 images. When the native
 * `JSON.parse` accepts the text, it is strict JSON, and the same tree (types, values, offsets, lengths,
 * `colonOffset`, `parent` links) is built here by jumping from quote to quote with `indexOf`. Anything
 * else — comments, trailing commas, syntax errors, empty input — goes to jsonc-parser, which reports
 * the errors and recovers what it can.
 */
export function parseJsonTree(text: string, errors: ParseError[] = [], options?: ParseOptions): JsonNode | undefined {
  const strict = strictTree(text);
  return strict ?? parseTree(text, errors, options);
}

function strictTree(text: string): JsonNode | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  try {
    return new StrictBuilder(text).root();
  } catch {
    // Deeper nesting than this recursive builder takes: jsonc-parser decides.
    return undefined;
  }
}

type Mutable = { -readonly [K in keyof JsonNode]: JsonNode[K] };

class StrictBuilder {
  private i = 0;
  /** Position of the next backslash at or after the last string start (-1: none left). */
  private backslash = -2;

  constructor(private readonly text: string) {}

  root(): JsonNode {
    const node = this.value(undefined);
    delete (node as Mutable).parent;
    return node;
  }

  private ws(): void {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** Index of the closing quote of the string whose opening quote is at `start`. */
  private stringEnd(start: number): number {
    const t = this.text;
    let from = start + 1;
    for (;;) {
      const q = t.indexOf('"', from);
      if (q < 0) throw new Error('unterminated string');
      let b = q - 1;
      while (t.charCodeAt(b) === 92) b--;
      if ((q - 1 - b) % 2 === 0) return q;
      from = q + 1;
    }
  }

  /** The decoded content of the string token `[start, end]` (quotes included). */
  private decode(start: number, end: number): string {
    if (this.backslash !== -1 && this.backslash <= start) this.backslash = this.text.indexOf('\\', start + 1);
    if (this.backslash === -1 || this.backslash > end) return this.text.slice(start + 1, end);
    return JSON.parse(this.text.slice(start, end + 1)) as string;
  }

  private value(parent: JsonNode | undefined): JsonNode {
    this.ws();
    const t = this.text;
    const start = this.i;
    const c = t.charCodeAt(start);
    if (c === 34) {
      const end = this.stringEnd(start);
      this.i = end + 1;
      return { type: 'string', offset: start, length: end + 1 - start, parent, value: this.decode(start, end) } as JsonNode;
    }
    if (c === 123) return this.object(parent);
    if (c === 91) return this.array(parent);
    if (c === 116) return this.literal(parent, start, 4, true);
    if (c === 102) return this.literal(parent, start, 5, false);
    if (c === 110) return this.literal(parent, start, 4, null);
    let end = start + 1;
    for (;;) {
      const d = t.charCodeAt(end);
      if ((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69) end++;
      else break;
    }
    this.i = end;
    return { type: 'number', offset: start, length: end - start, parent, value: Number(t.slice(start, end)) } as JsonNode;
  }

  private literal(parent: JsonNode | undefined, start: number, length: number, value: boolean | null): JsonNode {
    this.i = start + length;
    return { type: value === null ? 'null' : 'boolean', offset: start, length, parent, value } as JsonNode;
  }

  private object(parent: JsonNode | undefined): JsonNode {
    const t = this.text;
    const node = { type: 'object', offset: this.i, length: -1, parent, children: [] as JsonNode[] } as Mutable;
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) !== 125) {
      for (;;) {
        this.ws();
        const ks = this.i;
        const ke = this.stringEnd(ks);
        const prop = { type: 'property', offset: ks, length: -1, parent: node as JsonNode, children: [] as JsonNode[] } as Mutable;
        prop.children!.push({ type: 'string', value: this.decode(ks, ke), offset: ks, length: ke + 1 - ks, parent: prop as JsonNode } as JsonNode);
        node.children!.push(prop as JsonNode);
        this.i = ke + 1;
        this.ws();
        prop.colonOffset = this.i; // ':'
        this.i++;
        const v = this.value(prop as JsonNode);
        prop.children!.push(v);
        prop.length = v.offset + v.length - ks;
        this.ws();
        if (t.charCodeAt(this.i++) === 125) break; // '}' (else ',')
      }
    } else this.i++;
    node.length = this.i - node.offset;
    return node as JsonNode;
  }

  private array(parent: JsonNode | undefined): JsonNode {
    const t = this.text;
    const node = { type: 'array', offset: this.i, length: -1, parent, children: [] as JsonNode[] } as Mutable;
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) !== 93) {
      for (;;) {
        node.children!.push(this.value(node as JsonNode));
        this.ws();
        if (t.charCodeAt(this.i++) === 93) break; // ']' (else ',')
      }
    } else this.i++;
    node.length = this.i - node.offset;
    return node as JsonNode;
  }
}
