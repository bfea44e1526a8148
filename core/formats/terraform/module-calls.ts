import type { Entry, MapNode, ParsedFile, Resource, Span } from '../../model';
import { get, isScalar } from '../../nodes';
import { dirnameOf } from '../../uri';

/**
 * Calls of local modules (`module "bucket" { source = "./modules/bucket" ... }`): the module's files are
 * analysed once per call with its arguments as the values of the module's variables, the way Terraform
 * instantiates them. Registry and git sources are not followed (their known inputs are read by the rules).
 */

/** How many calls deep a chain of local modules is followed (a module calling a module calling a module). */
export const MAX_CALL_DEPTH = 4;

export interface ModuleCall {
  /** `module.bucket` (`module.sg.module.rules` for a call made inside a called module). */
  address: string;
  /** The `module` block. */
  block: Resource;
  /** The file the block is written in. */
  caller: ParsedFile;
  /** The folder of the called module (its project key). */
  folder: string;
  /** The call that instantiated the caller's own module, for calls made inside a called module. */
  parent?: ModuleCall;
  /** 1 for a call written in the analysed file, 2 for a call inside the module it calls, ... */
  depth: number;
  /** Where an argument of a call of the chain decided a value: filled by `evaluate`, shared along the chain. */
  uses: ArgumentUse[];
  /**
   * One instance of a call with `for_each`: what its arguments read as `each` (`each.key`, `each.value`). A call
   * whose items cannot be read, or that has too many, is analysed once with every item an alternative.
   */
  each?: MapNode;
}

/** An argument of `call` decided the value of the expression at `span` in the file `uri`. */
export interface ArgumentUse {
  uri: string;
  span: Span;
  argument: Entry;
  call: ModuleCall;
}

/** A local module source: `./x`, `../x` (Terraform reads only these as paths on disk). */
const LOCAL_SOURCE = /^\.\.?\//;

/** A module folder's files: a module may be written in `.tf` or `.tf.json` syntax, or both (OpenTofu: `.tofu`, `.tofu.json`). */
export const MODULE_FILE = /\.(?:tf|tofu)(?:\.json)?$/i;

/** Text that may hold a local module call: a cheap test before parsing. */
export const LOCAL_CALL_TEXT = /\bsource\s*=\s*"\.\.?\//;

/** `dir` joined with a relative path, `.` and `..` segments applied. */
export function resolveFolder(dir: string, relative: string): string {
  const parts = dir.split('/');
  for (const seg of relative.replace(/\/+$/, '').split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** The local module calls written in `file`, made from inside `parent` when the file is itself a called module. */
export function localCalls(file: ParsedFile, parent?: ModuleCall): ModuleCall[] {
  if (file.format !== 'terraform') return [];
  const out: ModuleCall[] = [];
  const depth = (parent?.depth ?? 0) + 1;
  if (depth > MAX_CALL_DEPTH) return out;
  for (const r of file.resources) {
    if (r.kind !== 'module') continue;
    const source = get(r.body, 'source');
    if (!isScalar(source) || typeof source.value !== 'string' || !LOCAL_SOURCE.test(source.value)) continue;
    const folder = resolveFolder(dirnameOf(file.uri), source.value);
    // A module that calls itself, or a module up the chain: Terraform refuses the cycle, so do we.
    let cyclic = folder === dirnameOf(file.uri);
    for (let c = parent; c && !cyclic; c = c.parent) cyclic = c.folder === folder || dirnameOf(c.caller.uri) === folder;
    if (cyclic) continue;
    const address = `${parent ? `${parent.address}.` : ''}module.${r.name}`;
    out.push({ address, block: r, caller: file, folder, parent, depth, uses: parent ? parent.uses : [] });
  }
  return out;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The argument of the outermost call (written in the analysed file) that decided the value at `span` of the
 * called module file `uri`, or undefined when no argument did (the finding is the module's own, reported
 * when the module itself is analysed).
 */
export function decidingArgument(call: ModuleCall, uri: string, span: Span): ArgumentUse | undefined {
  let use = innermost(call.uses.filter((u) => u.uri === uri && overlaps(u.span, span)));
  // Up the chain: the argument of an inner call was itself decided by an argument of the call above.
  while (use?.call.parent) {
    const arg = use.argument.value.span;
    const caller = use.call.caller.uri;
    use = innermost(call.uses.filter((u) => u.uri === caller && u.span.start === arg.start && u.span.end === arg.end && u.call === use!.call.parent));
  }
  return use;
}

function innermost(uses: ArgumentUse[]): ArgumentUse | undefined {
  let best: ArgumentUse | undefined;
  for (const u of uses) if (!best || u.span.end - u.span.start < best.span.end - best.span.start) best = u;
  return best;
}
