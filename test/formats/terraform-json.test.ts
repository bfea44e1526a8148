/**
 * Terraform's JSON syntax into the Terraform model: blocks and labels, templates as expressions with exact
 * spans, `"//"` comments and suppressions, `.tfvars.json` values, one module with the folder's `.tf` files,
 * and bad input.
 */
import { describe, expect, it } from 'vitest';
import { analyze, type ExprNode, get, parseFile, type ParsedFile, Project } from '../../core';
import { RULES } from '../../rules';
import { growthFromAsync, LINEAR_GROWTH_LIMIT } from '../hostile/scaling';

const CONFIG = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'on' as const])), ignore: [], maxFileSize: 1e9 };

async function findings(files: ParsedFile[], of = files[0]) {
  return (await analyze(of, { rules: RULES, config: CONFIG, project: new Project(files) })).findings;
}

const MAIN = `{
  "resource": {
    "aws_s3_bucket": {
      "logs": { "bucket": "acme-\${var.env}-logs" },
      "a": [{ "bucket": "first" }, { "bucket": "second" }]
    },
    "aws_s3_bucket_policy": {
      "logs": {
        "bucket": "\${aws_s3_bucket.logs.id}",
        "policy": "\${jsonencode({\\"Statement\\" = [{ Effect = \\"Allow\\", Principal = \\"*\\", Action = \\"s3:GetObject\\", Resource = \\"\${aws_s3_bucket.logs.arn}/*\\" }]})}"
      }
    }
  },
  "locals": { "literal": "$\${not_a_reference}" },
  "provider": { "aws": [{ "region": "eu-west-1" }, { "alias": "us", "region": "us-east-1" }] }
}
`;

describe('terraform-json model', () => {
  it('reads blocks by their labels, arrays of bodies included', async () => {
    const file = await parseFile('/m/main.tf.json', MAIN);
    expect(file.format).toBe('terraform-json');
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => `${r.kind} ${r.type}.${r.name}`)).toEqual([
      'resource aws_s3_bucket.logs',
      'resource aws_s3_bucket.a',
      'resource aws_s3_bucket.a',
      'resource aws_s3_bucket_policy.logs',
      'locals .',
      'provider aws.aws',
      'provider aws.aws',
    ]);
    const logs = file.resources[0];
    expect(file.text.slice(logs.nameSpan.start, logs.nameSpan.end)).toBe('"logs"');
  });

  it('reads templates as expressions: references, literal parts, function calls, exact spans', async () => {
    const file = await parseFile('/m/main.tf.json', MAIN);
    const bucket = get(file.resources[0].body, 'bucket') as ExprNode;
    expect(bucket).toMatchObject({ kind: 'expr', refs: ['var.env'], literalParts: ['acme-', '-logs'], path: ['bucket'] });
    expect(file.text.slice(bucket.span.start, bucket.span.end)).toBe('"acme-${var.env}-logs"');
    const ref = get(file.resources[3].body, 'bucket') as ExprNode;
    expect(ref).toMatchObject({ kind: 'expr', text: 'aws_s3_bucket.logs.id', refs: ['aws_s3_bucket.logs.id'] });
    expect(file.text.slice(ref.span.start, ref.span.end)).toBe('"${aws_s3_bucket.logs.id}"');
    // A JSON string with escapes: the call and its arguments are read, every node at the string's span.
    const policy = get(file.resources[3].body, 'policy') as ExprNode;
    expect(policy).toMatchObject({ kind: 'expr', fn: 'jsonencode' });
    expect(policy.args?.[0]).toMatchObject({ kind: 'map', span: policy.span });
    expect(get(file.resources[4].body, 'literal')).toMatchObject({ kind: 'scalar', value: '${not_a_reference}' });
  });

  it('reads the public policy inside jsonencode, and reports it on the policy string', async () => {
    const file = await parseFile('/m/main.tf.json', MAIN);
    const found = (await findings([file])).filter((f) => f.ruleId === 'storage/s3-public-policy');
    expect(found.length).toBe(1);
    expect(file.text.slice(found[0].span.start, found[0].span.end)).toContain('jsonencode');
  });

  it('says which template is invalid, and still reads the others', async () => {
    const file = await parseFile('/m/l.tf.json', '{"locals": {"a": "${foo(}", "b": "${var.x}-y"}}');
    expect(file.problems.map((p) => [p.message, file.text.slice(p.span.start, p.span.end)])).toEqual([
      ['invalid Terraform template expression in this string', '"${foo(}"'],
    ]);
    expect(get(file.resources[0].body, 'b')).toMatchObject({ kind: 'expr', refs: ['var.x'], literalParts: ['', '-y'] });
  });

  it('treats "//" properties as comments: an airlock:ignore there covers its object', async () => {
    const text = `{
  "resource": {
    "aws_security_group": {
      "open": {
        "//": "airlock:ignore network/open-ingress -- a honeypot",
        "ingress": [{ "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }]
      },
      "other": {
        "ingress": [{ "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }]
      }
    }
  }
}
`;
    const file = await parseFile('/m/sg.tf.json', text);
    expect(file.comments.map((c) => c.text)).toEqual(['airlock:ignore network/open-ingress -- a honeypot']);
    expect(file.resources[0].body.entries.map((e) => e.key)).toEqual(['ingress']);
    const found = (await findings([file])).filter((f) => f.ruleId === 'network/open-ingress');
    expect(found.map((f) => file.text.slice(0, f.span.start).split('\n').length)).toEqual([9]);
  });

  it('resolves variables across the module: .tf defaults and .tfvars.json values', async () => {
    const json = await parseFile(
      '/m/sg.tf.json',
      '{"resource":{"aws_security_group_rule":{"ssh":{"type":"ingress","from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["${var.cidr}"],"security_group_id":"sg-1"}}}}',
    );
    const vars = await parseFile('/m/variables.tf', 'variable "cidr" {\n  default = "10.0.0.0/8"\n}\n');
    expect((await findings([json, vars])).filter((f) => f.ruleId === 'network/open-ingress')).toEqual([]);
    const tfvars = await parseFile('/m/terraform.tfvars.json', '{ "cidr": "0.0.0.0/0" }');
    expect(tfvars.roots[0]).toMatchObject({ kind: 'map', entries: [{ key: 'cidr', value: { kind: 'scalar', value: '0.0.0.0/0' } }] });
    const open = (await findings([json, vars, tfvars])).filter((f) => f.ruleId === 'network/open-ingress');
    expect(open.map((f) => f.message)).toEqual([expect.stringContaining('var.cidr')]);
  });

  it('enters dynamic block contents under their label', async () => {
    const text =
      '{"resource":{"aws_security_group":{"d":{"dynamic":{"ingress":{"for_each":"${var.ports}","content":{"from_port":"${ingress.value}","to_port":"${ingress.value}","protocol":"tcp","cidr_blocks":["0.0.0.0/0"]}}}}}}}';
    const file = await parseFile('/m/d.tf.json', text);
    expect(file.resources[0].body.entries.map((e) => e.key)).toEqual(['dynamic', 'ingress']);
    expect((await findings([file])).some((f) => f.ruleId.startsWith('network/open-ingress'))).toBe(true);
  });

  it('reads broken and hostile input without throwing', async () => {
    for (const text of ['', '{', '{"resource": {"aws_s3_bucket": {"b": {"bucket": "${var.', '[1,2]', '{"resource": 3}', '{"locals": {"x": "${{{{"}}']) {
      const file = await parseFile('/m/x.tf.json', text);
      expect(file.format).toBe('terraform-json');
      await findings([file]);
    }
    expect((await parseFile('/m/x.tf.json', '{"resource": {')).problems.length).toBeGreaterThan(0);
  });

  it('parses in time linear in the number of blocks', async () => {
    const text = (n: number) =>
      `{"resource":{"aws_security_group":{${Array.from({ length: n }, (_, i) => `"g${i}":{"name":"\${var.p}-${i}","ingress":[{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["10.0.0.0/8"]}]}`).join(',')}}}}`;
    const ratio = await growthFromAsync(300, async (n) => {
      await parseFile('/m/big.tf.json', text(n));
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
