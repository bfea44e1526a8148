import { type CST, Document, isScalar } from 'yaml';

/** The scalar typing and token helpers `readYamlCst` reads the CST with, as the composer would. */

/** Thrown (and caught in `readYamlCst`) when a token shape is outside what this reader proves equal. */
export const DECLINE = new Error('yaml: composer needed');

export function decline(): never {
  throw DECLINE;
}

/** The core schema's implicit scalar types, in `yaml`'s own order (as its composer tests them). */
const CORE = new Document(null);
const IMPLICIT = CORE.schema.tags.filter((t) => t.default === true && !t.collection && t.test);
const IMPLICIT_KEY = CORE.schema.tags.filter((t) => (t.default === true || t.default === 'key') && !t.collection && t.test);
type Resolver = { test?: RegExp; resolve(s: string, onError: (m: string) => void, o: unknown): unknown };

/** Whether any of `tags` matches: their tests as one pattern (most plain scalars are strings, matching none). */
function anyOf(tags: Resolver[]): RegExp | undefined {
  if (tags.some((t) => t.test!.flags !== '')) return undefined;
  return new RegExp(tags.map((t) => `(?:${t.test!.source})`).join('|'));
}
const ANY_IMPLICIT = anyOf(IMPLICIT as Resolver[]);
const ANY_IMPLICIT_KEY = anyOf(IMPLICIT_KEY as Resolver[]);

/** A plain scalar's value as the composer types it (core schema: null, booleans, numbers, else the string). */
export function typed(source: string, atKey: boolean): unknown {
  const any = atKey ? ANY_IMPLICIT_KEY : ANY_IMPLICIT;
  if (any && !any.test(source)) return source;
  for (const tag of (atKey ? IMPLICIT_KEY : IMPLICIT) as Resolver[]) {
    if (!tag.test!.test(source)) continue;
    const res = tag.resolve(source, decline, CORE.options);
    return isScalar(res) ? res.value : res;
  }
  return source;
}

export function onScalarError(): void {
  decline();
}

export function tokenEnd(t: CST.SourceToken): number {
  return t.offset + t.source.length;
}

/** Where the composer places an empty value: after the last token that is not white space or a comment. */
export function emptyScalarPosition(offset: number, before: CST.SourceToken[]): number {
  for (let i = before.length - 1; i >= 0; --i) {
    const st = before[i];
    if (st.type === 'space' || st.type === 'comment' || st.type === 'newline') {
      offset -= st.source.length;
      continue;
    }
    for (let j = i + 1; j < before.length && before[j].type === 'space'; j++) offset += before[j].source.length;
    break;
  }
  return offset;
}

/** A local tag (primary handle, no `%`-escapes): `yaml` resolves it to itself. */
export const LOCAL_TAG = /^![^!<%]+$/;

/** A map's keys as the composer compares them (typed plain values): a list, and a set once there are many. */
export class Keys {
  private readonly list: unknown[] = [];
  private set: Set<unknown> | undefined;

  /** False when an equal key is there already. */
  add(key: unknown): boolean {
    if (this.set) {
      if (this.set.has(key)) return false;
      this.set.add(key);
      return true;
    }
    if (this.list.includes(key)) return false;
    this.list.push(key);
    if (this.list.length >= 32) this.set = new Set(this.list);
    return true;
  }
}

export function hasNewline(tokens: CST.SourceToken[] | undefined): boolean {
  if (tokens) for (const t of tokens) if (t.type === 'newline') return true;
  return false;
}

export function isBlock(token: CST.Token | null | undefined): boolean {
  return token?.type === 'block-map' || token?.type === 'block-seq';
}

/**
 * The roots of a token stream read straight from the CST, with its `#` comments pushed to `comments` (when
 * given), or undefined when any part of it needs the composer (see above). No problems: a stream with any is
 * always composed.
 */
