import { bool, contentSpan, evaluate, get, isExpr, isMap, type Node, type ParsedFile, type Project, serverlessSettings, walk } from '../../../core';
import type { Collector } from './collector';
import { textMayHoldSecretKey } from './key-prefilter';
import { isSecretKey } from './keys';
import { type Body, type Defaults, isStringScalar } from './structured-sites';

/**
 * What the secret rule reads in a Terraform module and a CloudFormation template besides their resources' values:
 * the bodies to visit, and the literal defaults of variables and parameters, which are sites once something secret
 * refers to them (or they are named as secrets, or marked `sensitive` / `NoEcho`).
 */

export function terraformBodies(file: ParsedFile, defaults: Defaults): Body[] {
  if (/\.tfvars(\.json)?$/.test(file.uri)) return file.roots.map((node) => ({ node }));
  for (const r of file.resources) {
    if (r.kind !== 'variable') continue;
    const e = r.body.entries.find((x) => x.key === 'default');
    if (!e || !isStringScalar(e.value)) continue;
    defaults.byNode.set(e.value, r);
    if (isSecretKey(r.name) || bool(get(r.body, 'sensitive')) === true) defaults.referenced.add(r);
  }
  return file.resources.filter((r) => r.kind !== 'variable' && r.kind !== 'output').map((r) => ({ node: r.body, resource: r }));
}

/**
 * A module's other files: a secret attribute in `main.tf` set to `var.x` makes the literal default of
 * `x` in this file (`variables.tf`) a hard-coded secret.
 */
export function referencesFromModule(file: ParsedFile, project: Project, defaults: Defaults): void {
  if (defaults.byNode.size === 0) return;
  // A reference under a secret key: a file whose text cannot hold such a key cannot matter.
  for (const other of project.module(file, textMayHoldSecretKey)) {
    if (other === file || other.uri === file.uri) continue;
    for (const expression of secretKeyedExpressions(other)) {
      for (const value of evaluate(expression, { file: other, project }).values) {
        const owner = defaults.byNode.get(value);
        if (owner) defaults.referenced.add(owner);
      }
    }
  }
}

/**
 * The expressions a file's resources set secret keys to, found once per parsed file: while one file of a
 * module is edited, the others are read again on every keystroke, unchanged.
 */
const secretKeyed = new WeakMap<ParsedFile, Node[]>();

function secretKeyedExpressions(file: ParsedFile): Node[] {
  let found = secretKeyed.get(file);
  if (!found) {
    found = [];
    for (const r of file.resources) {
      if (r.kind === 'variable' || r.kind === 'output') continue;
      for (const v of walk(r.body)) if (v.entry && v.entry.value === v.node && isExpr(v.node) && isSecretKey(v.entry.key)) found.push(v.node);
    }
    secretKeyed.set(file, found);
  }
  return found;
}

export function cloudFormationBodies(file: ParsedFile, defaults: Defaults): Body[] {
  for (const r of file.resources) {
    if (r.kind !== 'parameter') continue;
    const e = r.body.entries.find((x) => x.key === 'Default');
    if (!e || !isStringScalar(e.value)) continue;
    defaults.byNode.set(e.value, r);
    if (isSecretKey(r.name) || bool(get(r.body, 'NoEcho')) === true) defaults.referenced.add(r);
  }
  const bodies: Body[] = file.resources.filter((r) => r.kind !== 'parameter').map((r) => ({ node: r.raw ?? r.body, resource: r }));
  // `Mappings` literals are read by `Fn::FindInMap` wherever the template needs them: a password there is written in the file.
  const mappings = file.roots.map((root) => get(root, 'Mappings')).find(isMap);
  if (mappings) bodies.push({ node: mappings });
  // A SAM template's `Globals` are written into every function, API or table of the template:
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
  const globals = file.roots.map((root) => get(root, 'Globals')).find(isMap);
  if (globals) bodies.push({ node: globals });
  // A Serverless Framework file: its functions' environments, `custom` values and stage `params` beside the template.
  for (const root of file.roots) for (const section of serverlessSettings(root)) bodies.push({ node: section.value });
  return bodies;
}

export function defaultSites(defaults: Defaults, out: Collector): void {
  for (const [node, owner] of defaults.byNode) {
    if (!defaults.referenced.has(owner) || !isStringScalar(node)) continue;
    const entry = owner.body.entries.find((e) => e.value === node);
    out.add({ kind: 'default', key: owner.name, value: node.value, span: contentSpan(node), node, entry, resource: owner });
  }
}
