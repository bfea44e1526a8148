import {
  all,
  collapse,
  embeddedJson,
  entry,
  type EvalContext,
  evaluate,
  evaluateItems,
  get,
  isExpr,
  isMap,
  isScalar,
  items,
  jsonFromString,
  type MapNode,
  type Node,
  type ParsedFile,
  type Resource,
  str,
  isTerraform,
} from '../../../core';
import { moduleResource } from '../../lib/module-resources';
import { isPrivateRange } from '../../lib/private-ranges';
import { ifBranches } from '../../lib/cfn-if';
import { conditionPins, isPositiveOperator, isRestrictingKey } from './policy-conditions';

/**
 * IAM policy documents, whatever they were written as: a CloudFormation `PolicyDocument` map, Terraform
 * `jsonencode({...})`, a heredoc or quoted JSON string (interpolations allowed), a
 * `data "aws_iam_policy_document"` the attribute references (its `source_policy_documents` /
 * `override_policy_documents` included), or a `var.x` / `local.x` holding one of those. Every form becomes
 * the same `Statement` shape, so resource-policy rules (S3, ECR, OpenSearch, EFS, ...) are one check.
 */

export interface PolicyCondition {
  /** The operator as written: `StringEquals`, `ForAnyValue:StringLike`, `IpAddress`, ... */
  operator: string;
  /** The context key as written: `aws:SourceVpce`, `aws:PrincipalOrgID`, ... */
  key: string;
  values: Node[];
}

export interface PolicyStatement {
  effect?: string;
  /** Principal values that grant to anyone: the `"*"` literals, `{"AWS": "*"}` items, `identifiers = ["*"]`. */
  anyone: Node[];
  /** `NotPrincipal` (or `not_principals`): with `Allow` it grants everyone but the listed principals. */
  notPrincipal?: Node;
  actions: string[];
  notActions: string[];
  conditions: PolicyCondition[];
  /** The statement node itself. */
  node: Node;
  /** A CloudFormation template condition the statement depends on (`HasPublicRead is true`). */
  when?: string;
}

export interface PolicyDoc {
  statements: PolicyStatement[];
  /** The file holding the statement nodes (a data source or local may live in another file of the module). */
  file: ParsedFile;
  /** Where the document was defined when it was reached through a reference (`data.aws_iam_policy_document.x`, `local.p`). */
  via?: { label: string; resource?: Resource };
}

const MAX_DEPTH = 6;

/** Every policy document a value stands for (several when it references documents that merge others). */
export function readPolicies(node: Node | undefined, ctx: EvalContext, depth = 0): PolicyDoc[] {
  if (!node || depth > MAX_DEPTH) return [];
  if (isMap(node)) return [{ statements: statementsOf(node, ctx), file: ctx.file }];
  if (isScalar(node)) {
    const json = embeddedJson(ctx.file, node);
    return json && isMap(json) ? [{ statements: statementsOf(json, ctx), file: ctx.file }] : [];
  }
  if (!isExpr(node)) return [];
  if (node.fn === 'jsonencode' && node.args?.[0]) return readPolicies(node.args[0], ctx, depth + 1);
  if (isTerraform(ctx.file.format)) {
    const text = node.text.trim();
    const doc = /^data\.aws_iam_policy_document\.([\w-]+)(?:\[[^\]]*\])?\.(?:json|minified_json)$/.exec(text);
    if (doc) return dataDocument(doc[1], ctx, depth);
    const local = /^local\.([\w-]+)$/.exec(text);
    if (local) return localValue(local[1], ctx, depth);
    if (/^var\.[\w-]+$/.test(text)) {
      // The value may come from a tfvars file or a default in another file: its JSON is read from the value
      // alone and pointed at the reference (which file it sits in is not known here).
      return evaluate(node, ctx).values.flatMap((v) => {
        const s = str(v);
        const json = s !== undefined ? jsonFromString(s, node.span) : isMap(v) ? collapse(v, node.span) : undefined;
        return json && isMap(json) ? [{ statements: statementsOf(json, ctx), file: ctx.file, via: { label: text } }] : [];
      });
    }
    const json = embeddedJson(ctx.file, node);
    if (json && isMap(json)) return [{ statements: statementsOf(json, ctx), file: ctx.file }];
  }
  // `!Sub '{...}'`: a JSON document whose `${...}` variables fill in regions, accounts and ARNs.
  if (ctx.file.format === 'cloudformation' && node.fn === 'Fn::Sub' && node.args?.[0]) return readPolicies(node.args[0], ctx, depth + 1);
  if (ctx.file.format === 'cloudformation' && node.fn === 'Fn::If') {
    return ifBranches(node, undefined).flatMap(({ node: b, when }) =>
      readPolicies(b, ctx, depth + 1).map((d) => ({
        ...d,
        statements: d.statements.map((st) => ({ ...st, when: st.when && when ? `${when} and ${st.when}` : (st.when ?? when) })),
      })),
    );
  }
  return [];
}

// ---------------------------------------------------------------- JSON-shaped documents

function statementsOf(doc: MapNode, ctx: EvalContext): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const { node, when } of ifBranches(get(doc, 'Statement'), undefined)) out.push(...items(node).flatMap((s) => statementAt(s, when, ctx)));
  return out;
}

function statementAt(node: Node, when: string | undefined, ctx: EvalContext): PolicyStatement[] {
  return ifBranches(node, when).flatMap(({ node: s, when: w }) => {
    if (!isMap(s)) return [];
    const principal = get(s, 'Principal');
    const notPrincipal = entry(s, 'NotPrincipal');
    return [
      {
        effect: str(get(s, 'Effect')),
        anyone: principal ? anyoneIn(principal, ctx) : [],
        notPrincipal: notPrincipal?.value,
        actions: strings(get(s, 'Action')),
        notActions: strings(get(s, 'NotAction')),
        conditions: conditionsOf(get(s, 'Condition')),
        node: s,
        when: w,
      },
    ];
  });
}

/**
 * `"*"`, `{"AWS": "*"}`, `{"AWS": ["arn:...", "*"]}`. Service and federated principals never mean "anyone". A
 * principal given by a Terraform reference (`Principal = local.everyone`, `AWS = var.readers`) counts when it
 * can be `"*"`, and is pointed at where the statement uses it.
 */
function anyoneIn(principal: Node, ctx: EvalContext): Node[] {
  if (isScalar(principal)) return str(principal)?.trim() === '*' ? [principal] : [];
  if (isExpr(principal)) return isTerraform(ctx.file.format) && canBeAnyone(principal, ctx) ? [principal] : [];
  if (!isMap(principal)) return [];
  return all(principal, 'AWS').filter((n) => str(n)?.trim() === '*' || (isExpr(n) && isTerraform(ctx.file.format) && canBeAnyone(n, ctx)));
}

/** A Terraform expression whose value, or one of whose items, can be `"*"` (an `AWS` key inside a map counts too). */
function canBeAnyone(node: Node, ctx: EvalContext): boolean {
  return evaluateItems(node, ctx).values.some((v) => str(v)?.trim() === '*' || (isMap(v) && all(v, 'AWS').some((n) => str(n)?.trim() === '*')));
}

function strings(node: Node | undefined): string[] {
  return items(node)
    .map(str)
    .filter((s): s is string => s !== undefined);
}

function conditionsOf(node: Node | undefined): PolicyCondition[] {
  if (!isMap(node)) return [];
  const out: PolicyCondition[] = [];
  for (const op of node.entries) {
    if (!isMap(op.value)) continue;
    for (const k of op.value.entries) out.push({ operator: op.key, key: k.key, values: items(k.value) });
  }
  return out;
}

// ---------------------------------------------------------------- Terraform references

function dataDocument(name: string, ctx: EvalContext, depth: number): PolicyDoc[] {
  const found = moduleResource(ctx, 'data', 'aws_iam_policy_document', name);
  if (!found) return [];
  const { file, resource } = found;
  const inner: EvalContext = { ...ctx, file };
  const via = { label: `data.aws_iam_policy_document.${name}`, resource };
  const out: PolicyDoc[] = [
    {
      statements: all(resource.body, 'statement')
        .filter(isMap)
        .map((s) => hclStatement(s, inner)),
      file,
      via,
    },
  ];
  for (const key of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    for (const item of items(get(resource.body, key))) out.push(...readPolicies(item, inner, depth + 1).map((d) => ({ ...d, via })));
  }
  return out;
}

function localValue(name: string, ctx: EvalContext, depth: number): PolicyDoc[] {
  for (const file of ctx.project.module(ctx.file, (text) => text.includes(name))) {
    for (const r of file.resources) {
      if (r.kind !== 'locals') continue;
      const value = get(r.body, name);
      if (value !== undefined) return readPolicies(value, { ...ctx, file }, depth + 1).map((d) => ({ ...d, via: d.via ?? { label: `local.${name}` } }));
    }
  }
  return [];
}

/** A `statement { ... }` block of `aws_iam_policy_document`: `effect` defaults to Allow. */
function hclStatement(s: MapNode, ctx: EvalContext): PolicyStatement {
  const anyone: Node[] = [];
  for (const p of all(s, 'principals').filter(isMap)) {
    const type = str(get(p, 'type'))?.trim();
    if (type !== 'AWS' && type !== '*') continue;
    const identifiers = get(p, 'identifiers');
    // `identifiers = var.readers`: the reference, when the list it reads can hold "*".
    if (isExpr(identifiers)) {
      if (canBeAnyone(identifiers, ctx)) anyone.push(identifiers);
      continue;
    }
    anyone.push(...items(identifiers).filter((n) => str(n)?.trim() === '*' || (isExpr(n) && canBeAnyone(n, ctx))));
  }
  const conditions: PolicyCondition[] = all(s, 'condition')
    .filter(isMap)
    .map((c) => ({ operator: str(get(c, 'test')) ?? '', key: str(get(c, 'variable')) ?? '', values: items(get(c, 'values')) }));
  const notPrincipals = all(s, 'not_principals');
  return {
    effect: str(get(s, 'effect')) ?? (get(s, 'effect') === undefined ? 'Allow' : undefined),
    anyone,
    notPrincipal: notPrincipals[0],
    actions: strings(get(s, 'actions')),
    notActions: strings(get(s, 'not_actions')),
    conditions,
    node: s,
  };
}

// ---------------------------------------------------------------- who a statement lets in (the keys that restrict it: policy-conditions.ts)

const WORLD_CIDRS = new Set(['0.0.0.0/0', '::/0', '0::/0']);

export type Exposure =
  /** Anyone, anonymously; `loose`: a condition on an identity or network key that does not pin it (shown in the message). */
  | { level: 'public'; loose?: PolicyCondition }
  /** Anyone, from the listed addresses only. */
  | { level: 'source-ip'; condition: PolicyCondition }
  /** Pinned to identities, accounts, organisations or private networks. */
  | { level: 'restricted'; condition: PolicyCondition };

/** How far an `Allow` statement that names any principal reaches, given its conditions. */
export function exposureOf(s: PolicyStatement): Exposure {
  let ip: PolicyCondition | undefined;
  let loose: PolicyCondition | undefined;
  for (const c of s.conditions) {
    const key = c.key.toLowerCase();
    if (!isPositiveOperator(c.operator) || c.values.length === 0) {
      if (isRestrictingKey(key)) loose ??= c;
      continue;
    }
    if (key === 'aws:principalisawsservice' || key === 'aws:viaawsservice') {
      if (c.values.every((v) => str(v)?.toLowerCase() === 'true')) return { level: 'restricted', condition: c };
      continue;
    }
    if (/^bool$/i.test(c.operator)) continue;
    if (isRestrictingKey(key)) {
      if (conditionPins(key, c.values)) return { level: 'restricted', condition: c };
      loose ??= c;
    }
    if (key === 'aws:sourceip' && /IpAddress$/i.test(c.operator)) {
      // aws:SourceIp is the public address a request comes from over the internet, and a request through a VPC
      // endpoint carries none: a statement held to private ranges only matches no request at all.
      if (c.values.every((v) => isPrivateRange(str(v) ?? ''))) return { level: 'restricted', condition: c };
      if (!c.values.some((v) => WORLD_CIDRS.has(str(v)?.trim() ?? ''))) ip = c;
    }
  }
  return ip ? { level: 'source-ip', condition: ip } : { level: 'public', loose };
}

export interface OpenGrant {
  statement: PolicyStatement;
  /** What to point at: the `"*"` principal (or the `NotPrincipal` value). */
  principal: Node;
  exposure: Exclude<Exposure, { level: 'restricted' }>;
}

/** The `Allow` statements of a document that reach anyone (publicly or from listed IP ranges only). */
export function openGrants(doc: PolicyDoc): OpenGrant[] {
  const out: OpenGrant[] = [];
  for (const s of doc.statements) {
    if (s.effect?.toLowerCase() !== 'allow') continue;
    const principal = s.anyone[0] ?? s.notPrincipal;
    if (!principal) continue;
    const exposure = exposureOf(s);
    if (exposure.level === 'restricted') continue;
    out.push({ statement: s, principal, exposure });
  }
  return out;
}

/** `s3:GetObject`, `s3:GetObject and 2 more`, `every action`. */
export function describeActions(s: PolicyStatement): string {
  if (s.notActions.length) return `every action except ${s.notActions.slice(0, 2).join(', ')}${s.notActions.length > 2 ? ', ...' : ''}`;
  if (s.actions.length === 0) return 'its actions';
  if (s.actions.some((a) => a.trim() === '*' || /^[a-z0-9-]+:\*$/i.test(a.trim()))) return `every action (${s.actions.find((a) => a.includes('*'))})`;
  return s.actions.length > 2 ? `${s.actions.slice(0, 2).join(', ')} and ${s.actions.length - 2} more` : s.actions.join(', ');
}
