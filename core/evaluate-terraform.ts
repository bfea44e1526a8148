import { type EvalContext, type Evaluation, evaluate } from './evaluate';
import { conditionalParts, type Part, partNode } from './formats';
import type { ExprNode, ListNode, Node, ScalarNode } from './model';
import { get, isExpr, isList, isMap, str } from './nodes';
import { iteration, local, moduleOutput, variable } from './terraform-values';
import { booleans, closeOver, forExpression, isBooleanExpression } from './terraform-for';
import { call, template } from './terraform-functions';

/**
 * Terraform values, as `evaluate` reads them: `var.x` (a local module call's argument, else the value the last
 * of `terraform.tfvars` and `*.auto.tfvars` in lexical order gives it, else its default), `local.x`, a local
 * module's `output` (`module.m.out`), `each` / `count` of the enclosing resource, module call or for-expression,
 * keys and indexes (literal or computed: `local.by_env[var.env]`), both results of a conditional (one, when the code
 * fixes the condition: see `terraform`), for-expressions
 * (a filter is applied when it can be read, otherwise the expression is not guessed), templates whose holes
 * resolve, and the functions that pass values on: `concat`, `flatten`, `compact`, `distinct`, `tolist`, `toset`,
 * `sort`, `reverse`, `coalesce`, `coalescelist`, `try`, `merge`, `lookup`, `element`, `values`, `keys`,
 * `setproduct`, `length`, `tostring`, `tonumber`, `tobool`.
 *
 * Several values are alternatives: every one of them is a value the expression can have. A list built from
 * alternatives (`concat(var.a, cond ? x : y)`) holds the items of all of them. Every step is bounded by the
 * evaluation depth, and every collection is read once per evaluation: the work is linear in what is read.
 *
 * This file holds the entry and references; names are read in `terraform-values.ts`, for-expressions in
 * `terraform-for.ts`, templates and functions in `terraform-functions.ts`.
 */

/** Items a for-expression or a function reads from one collection, at most: beyond, the value is not guessed. */
export const MAX_ITEMS = 5000;

export function merge(...parts: Evaluation[]): Evaluation {
  return { values: parts.flatMap((p) => p.values), unresolved: parts.flatMap((p) => p.unresolved) };
}

export const none = (text: string, ...more: string[]): Evaluation => ({ values: [], unresolved: [text, ...more] });

/** The literal strings a value can be (numbers and booleans as text), read one level deeper. */
export function strings(node: Node, ctx: EvalContext, depth: number): { strings: string[]; unresolved: string[] } {
  const e = evaluate(node, ctx, depth + 1);
  return { strings: e.values.map(str).filter((s): s is string => s !== undefined), unresolved: e.unresolved };
}

export function synthetic(value: string | number | boolean | null, at: Node): ScalarNode {
  return { kind: 'scalar', value, span: at.span, path: at.path };
}

export function listOf(items: Node[], at: Node): ListNode {
  return { kind: 'list', span: at.span, path: at.path, items };
}

/** The context module-level names are read in: no for-expression or iterator names. */
export function moduleLevel(ctx: EvalContext, file = ctx.file): EvalContext {
  return { file, project: ctx.project, call: ctx.call, fixedOnly: ctx.fixedOnly };
}

export function terraform(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
  const text = node.text.trim();
  if (node.fn) return call(node, text, ctx, depth);
  // `cond ? a : b`: either result, as CloudFormation's `Fn::If`, unless the code itself fixes the condition (a
  // literal, a local, a call's argument, a called module's default): `count = local.create ? 1 : 0` in a module
  // called with `create = false` creates nothing. A top module's variable may be set by its tfvars or on the
  // command line whatever its default: a condition that reads one leaves both results.
  const parts = conditionalParts(node.text);
  if (parts) {
    const [condition, ...results] = parts.map((p) => partNode(node, p, ctx.file));
    if (results.some((n) => n === undefined)) return undefined;
    const fixed = condition && booleans(condition, { ...ctx, fixedOnly: true }, depth + 1);
    if (fixed?.size === 1) return evaluate(results[fixed.has(true) ? 0 : 1], ctx, depth + 1);
    return merge(...results.map((n) => evaluate(n, ctx, depth + 1)));
  }
  if (text.startsWith('[') || text.startsWith('{')) return forExpression(node, ctx, depth);
  // `each.value.acl == "private"`, `!var.public`: the booleans it can be.
  if (isBooleanExpression(node.text)) {
    const b = booleans(node, ctx, depth);
    return b ? { values: [...b].map((v) => synthetic(v, node)), unresolved: [] } : undefined;
  }
  const path = accessPath(text);
  if (path) return reference(node, path, ctx, depth);
  if (text.startsWith('"') && node.literalParts) return template(node, text, ctx, depth);
  return undefined;
}

// ---------------------------------------------------------------- references

type Step = { key: string } | { index: number } | { expr: Part } | { splat: true };

interface AccessPath {
  kind: 'var' | 'local' | 'module' | 'name';
  name: string;
  /** A module output's name. */
  output?: string;
  steps: Step[];
}

const ROOT = /^(?:(var|local)\.([A-Za-z_][\w-]*)|module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*))/;
const ATTRIBUTE = /\.([A-Za-z_][\w-]*|\d+)/y;

/** `var.m["k"].x`, `local.l[0]`, `module.m.out`, `each.value.cidr`, `local.by_env[var.env]`: a root and its steps. */
function accessPath(text: string): AccessPath | undefined {
  const m = ROOT.exec(text);
  if (!m || m[5] === 'var' || m[5] === 'local' || m[5] === 'module' || m[5] === 'data') return undefined;
  const path: AccessPath = m[1]
    ? { kind: m[1] as 'var' | 'local', name: m[2], steps: [] }
    : m[3]
      ? { kind: 'module', name: m[3], output: m[4], steps: [] }
      : { kind: 'name', name: m[5], steps: [] };
  let i = m[0].length;
  while (i < text.length) {
    if (text.startsWith('.*', i) || text.startsWith('[*]', i)) {
      // A splat: the steps after it are taken in every item of the list.
      path.steps.push({ splat: true });
      i += text[i] === '.' ? 2 : 3;
    } else if (text[i] === '.') {
      ATTRIBUTE.lastIndex = i;
      const a = ATTRIBUTE.exec(text);
      if (!a) return undefined;
      path.steps.push(/^\d+$/.test(a[1]) ? { index: Number(a[1]) } : { key: a[1] });
      i = ATTRIBUTE.lastIndex;
    } else if (text[i] === '[') {
      const end = closing(text, i);
      if (end < 0) return undefined;
      const inner = text.slice(i + 1, end).trim();
      const lead = text.indexOf(inner, i + 1);
      const quoted = /^"([^"\\$]*)"$/.exec(inner);
      if (quoted) path.steps.push({ key: quoted[1] });
      else if (/^\d+$/.test(inner)) path.steps.push({ index: Number(inner) });
      else if (inner === '*' || inner === '') return undefined;
      else path.steps.push({ expr: { from: lead, to: lead + inner.length } });
      i = end + 1;
    } else return undefined;
  }
  return path;
}

/** The index of the `]` closing the `[` at `i`, strings and nested brackets skipped; -1 when none. */
function closing(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
    } else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0) return c === ']' ? j : -1;
    }
  }
  return -1;
}

function reference(node: ExprNode, path: AccessPath, ctx: EvalContext, depth: number): Evaluation | undefined {
  let base: Evaluation;
  const name = path.kind === 'var' || path.kind === 'local' ? `${path.kind}.${path.name}` : path.name;
  switch (path.kind) {
    case 'var':
      base = variable(path.name, name, ctx, depth);
      break;
    case 'local':
      base = local(path.name, name, ctx, depth);
      break;
    case 'module':
      base = moduleOutput(path.name, path.output!, ctx, depth);
      break;
    default: {
      const bound = ctx.scope?.get(path.name);
      // An item bound as it is written (an expression of the collection it comes from) is read when it is used.
      if (bound) base = isExpr(bound) && path.steps.length === 0 ? evaluate(bound, ctx, depth + 1) : { values: [bound], unresolved: [] };
      else if (path.name === 'each' || path.name === 'count') base = iteration(path.name, node, ctx, depth);
      // Another resource's attribute, a data source, `path.module`...: known at apply time only.
      else return undefined;
    }
  }
  if (path.steps.length === 0) return base;
  let level = base.values;
  let splat = false;
  for (const step of path.steps) {
    // A map or list written as an expression (`merge(...)`, another local) is read before it is indexed.
    level = level.flatMap((v) => (isExpr(v) ? evaluate(v, ctx, depth + 1).values : [v]));
    if ('splat' in step) {
      splat = true;
      level = level.flatMap((v) => (isList(v) ? v.items : [v]));
    } else if ('key' in step) level = entriesAt(level, [step.key]);
    else if ('index' in step) level = level.flatMap((v) => (isList(v) ? [v.items[step.index]] : isMap(v) ? [get(v, String(step.index))] : [])).filter(defined);
    else {
      // A key computed from other values (`local.by_env[var.env]`): each value it can have; every entry when unknown.
      const keyNode = partNode(node, step.expr, ctx.file);
      const keys = keyNode ? strings(keyNode, ctx, depth).strings : [];
      level = level.flatMap((v) =>
        isMap(v)
          ? keys.length
            ? keys.map((k) => get(v, k)).filter(defined)
            : v.entries.map((e) => e.value)
          : isList(v)
            ? keys.length
              ? keys.map((k) => v.items[Number(k)]).filter(defined)
              : v.items
            : [],
      );
    }
  }
  // `local.rules[*].cidr`: the list of what every item gives.
  if (splat)
    return {
      values: [
        listOf(
          level.map((v) => closeOver(v, ctx)),
          node,
        ),
      ],
      unresolved: base.unresolved,
    };
  return level.length ? merge(...level.map((v) => evaluate(v, ctx, depth + 1))) : none(node.text.trim(), ...base.unresolved);
}

export const defined = <T>(v: T | undefined): v is T => v !== undefined;

/** The values under any of `keys` of the maps among `values` (every value of theirs when no key is known). */
export function entriesAt(values: Node[], keys: readonly string[]): Node[] {
  return values.flatMap((m) => (isMap(m) ? (keys.length === 0 ? m.entries.map((e) => e.value) : keys.map((k) => get(m, k)).filter(defined)) : []));
}
