import { bool, embeddedJson, type EvalContext, get, isExpr, isList, isMap, isTerraform, items, type Node, type Resource, str } from '../../../core';

/**
 * OpenSearch Serverless network policies (`aws_opensearchserverless_security_policy` with `type = "network"`,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearchserverless_security_policy;
 * `AWS::OpenSearchServerless::SecurityPolicy` with `Type: network` and the policy as a JSON string, literal or `Fn::Sub`,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-securitypolicy.html):
 * the policy is a JSON list of rule sets, each naming collections and dashboards in `Rules` and saying with
 * `AllowFromPublic` whether their endpoints take traffic from the internet (true) or only from the VPC endpoints
 * in `SourceVPCEs` (false). https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
 * These collections are the vector stores of Bedrock knowledge bases.
 */
export const SERVERLESS_POLICY = 'aws_opensearchserverless_security_policy';
export const CFN_SERVERLESS_POLICY = 'AWS::OpenSearchServerless::SecurityPolicy';

export interface PublicRuleSet {
  /** The `AllowFromPublic` value. */
  node: Node;
  /** What the rule set covers: `collection/kb-vectors`, ... */
  resources: string[];
}

/** The rule sets of a network policy that open their collections or dashboards to the internet. */
export function publicRuleSets(ctx: EvalContext, r: Resource): PublicRuleSet[] {
  const terraform = isTerraform(ctx.file.format);
  if (
    str(get(r.body, terraform ? 'type' : 'Type'))
      ?.trim()
      .toLowerCase() !== 'network'
  )
    return [];
  const policy = get(r.body, terraform ? 'policy' : 'Policy');
  // `jsonencode([...])` is read as written; `!Sub '[...]'`'s template is JSON whose `${Name}` pieces stay text.
  const written = isExpr(policy) && (policy.fn === 'jsonencode' || policy.fn === 'Fn::Sub') ? policy.args?.[0] : policy;
  const doc = isExpr(policy) && policy.fn === 'jsonencode' ? written : embeddedJson(ctx.file, written);
  const sets = isList(doc) ? doc.items : isMap(doc) ? [doc] : [];
  const out: PublicRuleSet[] = [];
  for (const set of sets) {
    const node = get(set, 'AllowFromPublic');
    if (!node || bool(node) !== true) continue;
    // `collection/kb-vectors`, and `collection/kb-vectors (dashboards)` for a rule of ResourceType dashboard.
    const resources = items(get(set, 'Rules')).flatMap((rule) => {
      const dashboards = str(get(rule, 'ResourceType'))?.toLowerCase() === 'dashboard' ? ' (dashboards)' : '';
      return items(get(rule, 'Resource')).flatMap((x) => (str(x) !== undefined ? `${str(x)}${dashboards}` : []));
    });
    out.push({ node, resources: [...new Set(resources)] });
  }
  return out;
}
