import type { Entry, MapNode, Node } from '../../model';

/**
 * Serverless Framework services (`serverless.yml`, `serverless.json`) deploy to AWS as one CloudFormation stack:
 * the `resources` section holds "raw CloudFormation template syntax" (`resources.Resources`, `Outputs`, ...), and
 * the rest of the file configures the functions (`provider.environment`, `functions.<name>.environment`, `custom`,
 * stage `params`). https://www.serverless.com/framework/docs/providers/aws/guide/resources
 * The CloudFormation format reads such a file as a template whose resources sit one level down, and gives the
 * secret rule its other sections to read.
 */

/**
 * `service: name` (a scalar: a Helm chart's `service:` is a map) and an AWS `provider`, as YAML or JSON (JSON keys
 * anywhere: a minified file is one line).
 */
const SERVICE = /^service:[ \t]*['"]?[A-Za-z0-9$]|"service"\s*:\s*"/m;
// The lines under `provider:` are indented (`[ \t]+\S`) or blank: disjoint, so a failed match cannot backtrack.
const AWS_PROVIDER =
  /^provider:[ \t]*['"]?aws['"]?[ \t]*(?:#.*)?$|^provider:[ \t]*(?:#.*)?\r?\n(?:[ \t]+\S.*\n|[ \t]*\r?\n)*?[ \t]+name:[ \t]*['"]?aws['"]?[ \t]*(?:#.*)?$|"provider"\s*:\s*(?:"aws"|\{\s*"name"\s*:\s*"aws")/m;

export function isServerlessText(head: string): boolean {
  return SERVICE.test(head) && AWS_PROVIDER.test(head);
}

/** Where a Serverless file keeps its CloudFormation: the `resources` section of a root that names its service. */
export function serverlessResources(root: Node): MapNode | undefined {
  if (root.kind !== 'map' || !root.entries.some((e) => e.key === 'service') || !root.entries.some((e) => e.key === 'provider')) return undefined;
  const section = root.entries.find((e) => e.key === 'resources')?.value;
  return section?.kind === 'map' ? section : { kind: 'map', entries: [], span: { start: root.span.end, end: root.span.end }, path: ['resources'] };
}

/** The sections of a Serverless file that configure functions (everything but the CloudFormation `resources`). */
export function serverlessSettings(root: Node): Entry[] {
  if (!serverlessResources(root) || root.kind !== 'map') return [];
  return root.entries.filter((e) => e.key !== 'resources');
}
