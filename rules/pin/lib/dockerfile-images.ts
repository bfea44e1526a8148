import { contentSpan, isExpr, isScalar, type Node, type ParsedFile, type Span } from '../../../core';
import type { ImageSite } from './image-sites';

/**
 * The images a Dockerfile builds on: `FROM <image>`, `COPY --from=<image>` and `RUN --mount=...,from=<image>` (a
 * mount's `from` names a build context, a stage or an image, as `COPY --from` does:
 * https://docs.docker.com/reference/dockerfile/#run---mounttypebind). Not images: `scratch`, an
 * earlier stage's name (compared without case, as Docker does) and a stage index (`--from=0`). A reference
 * to a build argument (`FROM ${BASE}`, `FROM python:${VERSION}-slim`) is read through the `ARG` default that
 * applies there (a `FROM` sees only the arguments declared before the first `FROM`); one without a default
 * is not judged unless the reference carries its own (`${REGISTRY:-docker.io}`).
 */

/** `$NAME`, `${NAME}`, `${NAME:-word}` / `${NAME-word}` (the word used when NAME is unset or empty). */
const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;

interface ArgValue {
  value: string;
  span: Span;
}

export function dockerfileImageSites(file: ParsedFile): ImageSite[] {
  const out: ImageSite[] = [];
  const stages = new Set<string>();
  const globals = new Map<string, ArgValue | null>();
  let scope = globals;
  let inStage = false;
  for (const r of file.resources) {
    if (r.type === 'ARG') {
      for (const e of r.body.entries) {
        const declared = argValue(e.value);
        // `ARG NAME` in a stage brings in the global default; anything else replaces it for the rest of the stage.
        scope.set(e.key, declared === null && inStage ? (globals.get(e.key) ?? null) : declared);
      }
    } else if (r.type === 'FROM') {
      const image = r.body.entries.find((e) => e.key === 'image')?.value;
      if (image) imageAt(image, globals, stages, out);
      if (r.name) stages.add(r.name.toLowerCase());
      scope = new Map();
      inStage = true;
    } else if (r.type === 'COPY' || r.type === 'ADD' || r.type === 'RUN') {
      for (const e of r.body.entries) if (e.key === 'from') imageAt(e.value, scope, stages, out);
    }
  }
  return out;
}

/** An ARG's default as a literal; null without one (or when it is itself built from references). */
function argValue(node: Node): ArgValue | null {
  return isScalar(node) && typeof node.value === 'string' ? { value: node.value, span: contentSpan(node) } : null;
}

function imageAt(node: Node, args: Map<string, ArgValue | null>, stages: Set<string>, out: ImageSite[]): void {
  const notImage = (v: string) => v.toLowerCase() === 'scratch' || stages.has(v.toLowerCase()) || /^\d+$/.test(v);
  if (isScalar(node) && typeof node.value === 'string') {
    if (!notImage(node.value)) out.push({ value: node.value, span: contentSpan(node), literal: true });
    return;
  }
  if (!isExpr(node)) return;
  const text = node.text.replace(/^(["'])([\s\S]*)\1$/, '$2');
  const used: { name: string; arg: ArgValue }[] = [];
  let unresolved = false;
  const value = text.replace(REFERENCE, (_all, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const arg = args.get(name);
    if (arg) {
      used.push({ name, arg });
      return arg.value;
    }
    // The word stands in when the argument has no value: declared without a default, or not declared at all
    // (a build argument nobody declared cannot be passed in, so the word is what every build uses).
    if (fallback !== undefined && !arg) return fallback;
    unresolved = true;
    return '';
  });
  if (unresolved || notImage(value)) return;
  const only = used.length === 1 && text === `\${${used[0].name}}` ? used[0] : undefined;
  out.push({
    value,
    span: node.span,
    via: used.map((u) => `ARG ${u.name}`).join(', '),
    related: used.map((u) => ({ span: u.arg.span, message: `ARG ${u.name} defaults to "${u.arg.value}" here` })),
    // `FROM ${BASE}`: the default is the whole reference, and a fix can pin it where it is written.
    writtenAt: only?.arg.span,
  });
}
