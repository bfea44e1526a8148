import type { ExprNode, MapNode, Node, Path, Span } from '../model';

/**
 * CloudFormation intrinsic functions on the model nodes the YAML and JSON readers build: short-form tags
 * (`!Ref`, `!Sub`...) and long-form `{ "Fn::X": ... }` maps alike, so a template gives the same model in
 * either syntax. The YAML reader needs them to read tags; the CloudFormation format builds on them.
 */

/** Short-form tags (`!Name`), as the YAML reader registers them. */
export const CFN_SHORT_TAGS: readonly string[] = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'If',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'ValueOf',
  'ValueOfAll',
  'RefAll',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Length',
  'ToJsonString',
];

/** `!Ref` → `Ref`, `!Condition` → `Condition`, `!Sub` → `Fn::Sub`; undefined for any other tag. */
export function intrinsicName(tag: string): string | undefined {
  return SHORT_TO_FN.get(tag);
}

const SHORT_TO_FN = new Map<string, string>(CFN_SHORT_TAGS.map((n) => [`!${n}`, n === 'Ref' || n === 'Condition' ? n : `Fn::${n}`]));

/** Whether a map key names an intrinsic function in long form. `Fn::ForEach::X` (a template loop) is not one. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || (key.startsWith('Fn::') && !key.startsWith('Fn::ForEach'));
}

/**
 * Build the expression node of an intrinsic from its converted arguments.
 * `refs`: the `Ref` target, `Fn::GetAtt` as `Resource.Attribute`, every `${Name}` of a `Fn::Sub` template
 * (pseudo parameters such as `AWS::Region` included, names bound by the Sub's own variable map excluded),
 * and the refs of nested intrinsics. `literalParts`: the text of a `Fn::Sub` template outside `${...}`
 * (`${!Literal}` escapes count as literal text `${Literal}`).
 */
export function makeIntrinsic(fn: string, args: Node[], span: Span, path: Path, text: string): ExprNode {
  const refs: string[] = [];
  let literalParts: string[] | undefined;
  const first = args[0];
  if (fn === 'Ref') {
    if (first?.kind === 'scalar' && typeof first.value === 'string') refs.push(first.value);
    collectNested(args, refs);
  } else if (fn === 'Fn::GetAtt') {
    if (args.length === 1 && first.kind === 'scalar' && first.value !== null) {
      refs.push(String(first.value));
    } else if (first?.kind === 'scalar' && typeof first.value === 'string') {
      const second = args[1];
      refs.push(second?.kind === 'scalar' && second.value !== null ? `${first.value}.${second.value}` : first.value);
    }
    collectNested(args, refs);
  } else if (fn === 'Fn::Sub') {
    // !Sub "template" | !Sub [ "template", { Var: value } ]
    let template: Node | undefined = first;
    let vars: Node | undefined;
    if (first?.kind === 'list') {
      template = first.items[0];
      vars = first.items[1];
    } else if (args.length > 1) {
      vars = args[1];
    }
    const bound = new Set<string>();
    if (vars?.kind === 'map') for (const e of vars.entries) bound.add(e.key);
    if (template?.kind === 'scalar' && typeof template.value === 'string') {
      literalParts = [];
      for (const name of scanSub(template.value, literalParts)) if (!bound.has(name)) refs.push(name);
    } else if (template) {
      collectNested([template], refs);
    }
    if (vars) collectNested([vars], refs);
  } else {
    collectNested(args, refs);
  }
  const node: ExprNode = { kind: 'expr', span, path, text, fn, args, refs: dedupe(refs) };
  if (literalParts) node.literalParts = literalParts;
  return node;
}

/** `${Name}` references of a Sub template, in order; pushes the literal text pieces to `literals`. */
function scanSub(template: string, literals: string[]): string[] {
  const names: string[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('${', i);
    if (open < 0) break;
    const close = template.indexOf('}', open + 2);
    if (close < 0) break;
    literal += template.slice(i, open);
    const inner = template.slice(open + 2, close);
    if (inner.startsWith('!')) {
      literal += `\${${inner.slice(1)}}`;
    } else {
      if (literal) literals.push(literal);
      literal = '';
      const name = inner.trim();
      if (name) names.push(name);
    }
    i = close + 1;
  }
  literal += template.slice(i);
  if (literal) literals.push(literal);
  return names;
}

/** Refs of the nearest intrinsics inside `nodes` (their own refs already include deeper ones). */
function collectNested(nodes: Node[], out: string[]): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'expr':
        if (n.refs) out.push(...n.refs);
        break;
      case 'list':
        collectNested(n.items, out);
        break;
      case 'map':
        for (const e of n.entries) collectNested([e.value], out);
        break;
      default:
        break;
    }
  }
}

function dedupe(refs: string[]): string[] {
  return refs.length < 2 ? refs : [...new Set(refs)];
}

/**
 * The long form of an intrinsic: a map with the single key `Ref`, `Condition` or `Fn::*` becomes an
 * expression node (args: the value's items when it is a list, else the value). Other maps are returned as is.
 * `Ref` and `Condition` only count with a scalar value (an IAM statement's `Condition` is a map).
 */
export function normalizeIntrinsicMap(map: MapNode, source: string): Node {
  if (map.entries.length !== 1) return map;
  const { key, value } = map.entries[0];
  if (!isIntrinsicKey(key)) return map;
  if ((key === 'Ref' || key === 'Condition') && value.kind !== 'scalar') return map;
  const args = value.kind === 'list' ? value.items : [value];
  return makeIntrinsic(key, args, map.span, map.path, source.slice(map.span.start, map.span.end));
}
