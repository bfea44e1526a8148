/**
 * "Ignore <rule> on this line" for CloudFormation JSON: the id lands in the resource's
 * `Metadata.airlock.ignore`, in valid JSON laid out like the rest of the file, and the finding is suppressed.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../core/runner';
import { parseFile } from '../../core/formats';
import { applyEdits } from '../../core/fix';
import { RULES } from '../../rules/index';
import { Positions } from '../../server/diagnostics';
import { cloudFormationJsonIgnore, commentAbove, terraformJsonIgnore } from '../../server/ignore';

const RULE = 'network/open-ingress';
const INGRESS = '[{ "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }]';

function template(resource: string): string {
  return `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Web": ${resource}\n  }\n}\n`;
}

async function ignoreIn(text: string): Promise<{ text: string; remaining: string[] }> {
  const file = await parseFile('file:///t/template.json', text);
  const { findings } = await analyze(file, { rules: RULES });
  const finding = findings.find((f) => f.ruleId === RULE);
  expect(finding, `a ${RULE} finding in\n${text}`).toBeDefined();
  const edit = cloudFormationJsonIgnore(file, new Positions(text), finding!.span, RULE);
  expect(edit).toBeDefined();
  const out = applyEdits(text, [edit!]);
  const after = await analyze(await parseFile('file:///t/template.json', out), { rules: RULES });
  return { text: out, remaining: after.findings.map((f) => f.ruleId) };
}

describe('ignore in CloudFormation JSON', () => {
  it('creates Metadata with the resource indentation (4 spaces)', async () => {
    const text = `{\n    "Resources": {\n        "Web": {\n            "Type": "AWS::EC2::SecurityGroup",\n            "Properties": {\n                "GroupDescription": "web",\n                "SecurityGroupIngress": ${INGRESS}\n            }\n        }\n    }\n}\n`;
    const r = await ignoreIn(text);
    expect(r.remaining).not.toContain(RULE);
    expect(r.text).toContain(
      '            },\n            "Metadata": {\n                "airlock": {\n                    "ignore": ["network/open-ingress"]\n                }\n            }\n        }',
    );
    expect(JSON.parse(r.text).Resources.Web.Metadata.airlock.ignore).toEqual([RULE]);
  });

  it('uses tabs where the file does', async () => {
    const text = `{\n\t"Resources": {\n\t\t"Web": {\n\t\t\t"Type": "AWS::EC2::SecurityGroup",\n\t\t\t"Properties": { "GroupDescription": "web", "SecurityGroupIngress": ${INGRESS} }\n\t\t}\n\t}\n}\n`;
    const r = await ignoreIn(text);
    expect(r.remaining).not.toContain(RULE);
    expect(r.text).toContain('\t\t\t"Metadata": {\n\t\t\t\t"airlock": {\n\t\t\t\t\t"ignore": ["network/open-ingress"]\n\t\t\t\t}\n\t\t\t}\n\t\t}');
  });

  it('a resource on one line stays on one line', async () => {
    const r = await ignoreIn(
      template(`{ "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "web", "SecurityGroupIngress": ${INGRESS} } }`),
    );
    expect(r.remaining).not.toContain(RULE);
    expect(r.text).toContain(', "Metadata": {"airlock":{"ignore":["network/open-ingress"]}} }');
  });

  it('fills an empty Metadata, adds to an airlock map without ignore, and turns a single id into a list', async () => {
    const base = (metadata: string) =>
      template(
        `{\n      "Type": "AWS::EC2::SecurityGroup",\n      "Metadata": ${metadata},\n      "Properties": { "GroupDescription": "web", "SecurityGroupIngress": ${INGRESS} }\n    }`,
      );
    const empty = await ignoreIn(base('{}'));
    expect(empty.remaining).not.toContain(RULE);
    expect(JSON.parse(empty.text).Resources.Web.Metadata).toEqual({ airlock: { ignore: [RULE] } });

    const noIgnore = await ignoreIn(base('{ "airlock": { "reason": "lab" } }'));
    expect(noIgnore.remaining).not.toContain(RULE);
    expect(JSON.parse(noIgnore.text).Resources.Web.Metadata.airlock).toEqual({ reason: 'lab', ignore: [RULE] });

    const single = await ignoreIn(base('{ "airlock": { "ignore": "secret/*" } }'));
    expect(single.remaining).not.toContain(RULE);
    expect(JSON.parse(single.text).Resources.Web.Metadata.airlock.ignore).toEqual(['secret/*', RULE]);

    const emptyList = await ignoreIn(base('{ "airlock": { "ignore": [] } }'));
    expect(emptyList.remaining).not.toContain(RULE);
    expect(JSON.parse(emptyList.text).Resources.Web.Metadata.airlock.ignore).toEqual([RULE]);
  });
});

describe('ignore comment', () => {
  it('goes above the line, indented like it, with the file line ending', () => {
    const text = 'a:\r\n  b:\r\n    - image: nginx:latest\r\n';
    const at = text.indexOf('nginx');
    const edit = commentAbove(text, new Positions(text), at, 'pin/image-unpinned');
    expect(applyEdits(text, [edit])).toBe('a:\r\n  b:\r\n    # airlock:ignore pin/image-unpinned -- <reason>\r\n    - image: nginx:latest\r\n');
  });
});

describe('ignore in Terraform JSON', () => {
  async function ignoreTf(text: string): Promise<{ text: string; remaining: string[] }> {
    const file = await parseFile('file:///t/main.tf.json', text);
    const { findings } = await analyze(file, { rules: RULES });
    const finding = findings.find((f) => f.ruleId === RULE)!;
    const edit = terraformJsonIgnore(file, new Positions(text), finding.span, RULE);
    expect(edit).toBeDefined();
    const out = applyEdits(text, [edit!]);
    const after = await analyze(await parseFile('file:///t/main.tf.json', out), { rules: RULES });
    return { text: out, remaining: after.findings.map((f) => f.ruleId) };
  }
  const ingress = '[{ "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }]';

  it('opens the block with a "//" property on its own line, indented like the others', async () => {
    const text = `{\n  "resource": {\n    "aws_security_group": {\n      "ssh": {\n        "name": "ssh",\n        "ingress": ${ingress}\n      }\n    }\n  }\n}\n`;
    const r = await ignoreTf(text);
    expect(r.remaining).not.toContain(RULE);
    expect(r.text).toContain('      "ssh": {\n        "//": "airlock:ignore network/open-ingress -- <reason>",\n        "name": "ssh",');
    expect(JSON.parse(r.text).resource.aws_security_group.ssh['//']).toBe('airlock:ignore network/open-ingress -- <reason>');
  });

  it('writes on the brace line of a one-line block, and offers nothing where a "//" is already written', async () => {
    const r = await ignoreTf(`{"resource":{"aws_security_group":{"ssh":{"ingress":${ingress}}}}}`);
    expect(r.text).toBe(`{"resource":{"aws_security_group":{"ssh":{"//": "airlock:ignore network/open-ingress -- <reason>", "ingress":${ingress}}}}}`);
    const text = `{"resource":{"aws_security_group":{"ssh":{"//":"managed by the platform team","ingress":${ingress}}}}}`;
    const file = await parseFile('file:///t/main.tf.json', text);
    const { findings } = await analyze(file, { rules: RULES });
    expect(terraformJsonIgnore(file, new Positions(text), findings.find((f) => f.ruleId === RULE)!.span, RULE)).toBeUndefined();
  });
});
