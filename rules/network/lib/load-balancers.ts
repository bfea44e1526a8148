import { type EvalContext, get, isExpr, items, type Node, str } from '../../../core';

/**
 * The security groups of a module or template that are attached to a load balancer, named as `NetRule.group`
 * names them (`aws_security_group.alb`, a CloudFormation logical id). A load balancer's port 80 next to 443 is
 * the redirect to HTTPS, not a second way in.
 */
const TERRAFORM_BALANCERS = new Set(['aws_lb', 'aws_alb', 'aws_elb']);
const CLOUDFORMATION_BALANCERS = new Set(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer']);

function terraformGroups(node: Node | undefined, out: Set<string>) {
  for (const item of items(node)) {
    if (!isExpr(item)) continue;
    for (const ref of item.refs ?? []) {
      const m = /^(aws_security_group\.[\w-]+)/.exec(ref);
      if (m) out.add(m[1]);
    }
  }
}

function cloudFormationGroups(node: Node | undefined, out: Set<string>) {
  for (const item of items(node)) {
    if (!isExpr(item) || !item.args?.length) continue;
    if (item.fn === 'Ref') {
      const id = str(item.args[0]);
      if (id) out.add(id);
    } else if (item.fn === 'Fn::GetAtt') {
      const first = items(item.args[0])[0];
      const id = str(first)?.split('.')[0];
      if (id) out.add(id);
    }
  }
}

export function loadBalancerGroups(ctx: EvalContext): Set<string> {
  const out = new Set<string>();
  if (ctx.file.format === 'cloudformation') {
    for (const r of ctx.file.resources) if (CLOUDFORMATION_BALANCERS.has(r.type)) cloudFormationGroups(get(r.body, 'SecurityGroups'), out);
    return out;
  }
  for (const f of ctx.project.module(ctx.file, (text) => /\baws_(?:lb|alb|elb)\b/.test(text))) {
    for (const r of f.resources) if (r.kind === 'resource' && TERRAFORM_BALANCERS.has(r.type)) terraformGroups(get(r.body, 'security_groups'), out);
  }
  return out;
}

const TERRAFORM_LISTENERS = new Set(['aws_lb_listener', 'aws_alb_listener']);

/** A listener on port 80 whose default action is a redirect (`default_action { type = "redirect" }`, `DefaultActions: [{ Type: redirect }]`). */
function redirectsPort80(port: Node | undefined, actions: Node | undefined, typeKey: string): boolean {
  return str(port) === '80' && items(actions).some((a) => str(get(a, typeKey)) === 'redirect');
}

/**
 * Whether the module or template has a load balancer listener that turns port 80 into a redirect to HTTPS: then a
 * group's 80 next to its 443 is that listener's way in, even when the group's attachment is written elsewhere.
 */
export function redirectsHttp(ctx: EvalContext): boolean {
  if (ctx.file.format === 'cloudformation') {
    return ctx.file.resources.some(
      (r) => r.type === 'AWS::ElasticLoadBalancingV2::Listener' && redirectsPort80(get(r.body, 'Port'), get(r.body, 'DefaultActions'), 'Type'),
    );
  }
  for (const f of ctx.project.module(ctx.file, (text) => /aws_(?:lb|alb)_listener/.test(text))) {
    for (const r of f.resources) {
      if (r.kind === 'resource' && TERRAFORM_LISTENERS.has(r.type) && redirectsPort80(get(r.body, 'port'), get(r.body, 'default_action'), 'type')) return true;
    }
  }
  return false;
}
