import { bool, embeddedJson, type EvalContext, get, isExpr, isList, isMap, items, type Node, type Resource, str } from '../../../core';

/**
 * OpenSearch Serverless network policies (`aws_opensearchserverless_security_policy` with `type = "network"`,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearchserverless_security_policy):
 * the policy is a JSON list of rule sets, each naming collections and dashboards in `Rules` and saying with
 * `AllowFromPublic` whether their endpoints take traffic from the internet (true) or only from the VPC endpoints
 * in `SourceVPCEs` (false). https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
 * These collections are the vector stores of Bedrock knowledge bases.
 */
export const SERVERLESS_POLICY = 'aws_opensearchserverless_security_policy';

export interface PublicRuleSet {
  /** The `AllowFromPublic` value. */
  node: Node;
  /** What the rule set covers: `collection/kb-vectors`, ... */
  resources: string[];
}

/** The rule sets of a network policy that open their collections or dashboards to the internet. */
export function publicRuleSets(ctx: EvalContext, r: Resource): PublicRuleSet[] {
  if (str(get(r.body, 'type'))?.trim().toLowerCase() !== 'network') return [];
  const policy = get(r.body, 'policy');
  const doc = isExpr(policy) && policy.fn === 'jsonencode' ? policy.args?.[0] : embeddedJson(ctx.file, policy);
  const sets = isList(doc) ? doc.items : isMap(doc) ? [doc] : [];
  const out: PublicRuleSet[] = [];
  for (const set of sets) {
    const node = get(set, 'AllowFromPublic');
    if (!node || bool(node) !== true) continue;
    const resources = items(get(set, 'Rules')).flatMap((rule) => items(get(rule, 'Resource')).flatMap((x) => str(x) ?? []));
    out.push({ node, resources: [...new Set(resources)] });
  }
  return out;
}
