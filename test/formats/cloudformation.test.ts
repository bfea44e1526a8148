import { describe, expect, it } from 'vitest';
import { normalizeIntrinsicMap } from '../../core/parsers/intrinsics';
import { parseJsonDocument } from '../../core/parsers/json';
import { parseYamlDocuments } from '../../core/parsers/yaml';
import { cloudFormationDialect } from '../../core/formats/cloudformation/resources';
import type { ExprNode, MapNode, Node, ParsedFile, Resource, ScalarNode, Span } from '../../core/model';
import { at, get, isExpr, isMap, isScalar, walk } from '../../core/nodes';
import { LineIndex } from '../../core/text';
import { detectFormat, parseFile } from '../../core';
import { growthFrom, LINEAR_GROWTH_LIMIT } from '../hostile/scaling';

const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

/** Every short-form tag in scalar, sequence and mapping form, long forms, quoting styles, a block scalar. */
const TEMPLATE = lines(
  /*  0 */ 'AWSTemplateFormatVersion: "2010-09-09"',
  /*  1 */ 'Description: Airlock adapter test',
  /*  2 */ 'Parameters:',
  /*  3 */ '  Env:',
  /*  4 */ '    Type: String',
  /*  5 */ '    AllowedValues: [dev, prod]',
  /*  6 */ '  VpcCidr:',
  /*  7 */ "    Type: 'String'",
  /*  8 */ '    Default: 10.0.0.0/16',
  /*  9 */ 'Mappings:',
  /* 10 */ '  RegionMap:',
  /* 11 */ '    us-east-1: {Ami: ami-0123}',
  /* 12 */ 'Conditions:',
  /* 13 */ '  IsProd: !Equals [!Ref Env, prod]',
  /* 14 */ '  NotProd: !Not [!Condition IsProd]',
  /* 15 */ '  Both: !And',
  /* 16 */ '    - !Condition IsProd',
  /* 17 */ '    - !Or [!Equals [a, a], !Condition NotProd]',
  /* 18 */ 'Resources:',
  /* 19 */ '  # the data bucket',
  /* 20 */ '  DataBucket:',
  /* 21 */ '    Type: AWS::S3::Bucket',
  /* 22 */ '    Condition: IsProd',
  /* 23 */ '    Properties:',
  /* 24 */ "      BucketName: !Sub '${AWS::StackName}-${Env}-data'",
  /* 25 */ "      AccessControl: 'PublicRead' # airlock:ignore storage/s3-public-acl -- test",
  /* 26 */ '      Tags:',
  /* 27 */ '        - Key: Name',
  /* 28 */ "          Value: !Join ['', [!Ref Env, '-', !Select [0, !Split [',', 'a,b']]]]",
  /* 29 */ '  Vpc:',
  /* 30 */ '    Type: AWS::EC2::VPC',
  /* 31 */ '    Properties:',
  /* 32 */ '      CidrBlock: !Ref VpcCidr',
  /* 33 */ '      EnableDnsSupport: true',
  /* 34 */ '  Subnet:',
  /* 35 */ '    Type: AWS::EC2::Subnet',
  /* 36 */ '    Properties:',
  /* 37 */ '      VpcId: !GetAtt Vpc.VpcId',
  /* 38 */ '      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]',
  /* 39 */ '      AvailabilityZone: !Select',
  /* 40 */ '        - 0',
  /* 41 */ "        - !GetAZs ''",
  /* 42 */ '      MapPublicIpOnLaunch: !If [IsProd, false, true]',
  /* 43 */ '  Instance:',
  /* 44 */ '    Type: AWS::EC2::Instance',
  /* 45 */ '    Properties:',
  /* 46 */ "      ImageId: !FindInMap [RegionMap, !Ref 'AWS::Region', Ami]",
  /* 47 */ '      InstanceType: !If',
  /* 48 */ '        - IsProd',
  /* 49 */ '        - m5.large',
  /* 50 */ '        - !Ref AWS::NoValue',
  /* 51 */ '      UserData: !Base64',
  /* 52 */ '        Fn::Sub: |',
  /* 53 */ '          #!/bin/bash',
  /* 54 */ '          echo ${Env} > /tmp/env',
  /* 55 */ '      SubnetId: !ImportValue shared-subnet',
  /* 56 */ '      Tags: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/tags.yaml}}',
  /* 57 */ '      IamInstanceProfile: !Sub',
  /* 58 */ "        - 'arn:${AWS::Partition}:s3:::${Bucket}/*'",
  /* 59 */ '        - Bucket: !Ref DataBucket',
  /* 60 */ '      LongRef:',
  /* 61 */ '        Ref: Env',
  /* 62 */ '      LongAtt:',
  /* 63 */ '        Fn::GetAtt: [DataBucket, Arn]',
  /* 64 */ '      Statement:',
  /* 65 */ '        Effect: Allow',
  /* 66 */ '        Condition:',
  /* 67 */ '          Bool: {aws:SecureTransport: false}',
  /* 68 */ '  Handle:',
  /* 69 */ '    Type: AWS::CloudFormation::WaitConditionHandle',
  /* 70 */ 'Outputs:',
  /* 71 */ '  Arn:',
  /* 72 */ '    Value: !GetAtt [DataBucket, Arn]',
  /* 73 */ '    Length: !Length [1, 2]',
  /* 74 */ '    Json: !ToJsonString {a: !Ref Env}',
  /* 75 */ '    Value2: !ValueOf [Env, Tag]',
);

const yaml = parseYamlDocuments('template.yaml', TEMPLATE, cloudFormationDialect);
const index = new LineIndex(TEMPLATE);
const pos = (offset: number) => index.position(offset);
const src = (span: Span, text = TEMPLATE) => text.slice(span.start, span.end);
const resource = (f: ParsedFile, name: string) => f.resources.find((r) => r.name === name)!;
const prop = (r: Resource, ...path: (string | number)[]) => at(r.body, ...path)!;
const expr = (n: Node | undefined): ExprNode => {
  expect(n?.kind).toBe('expr');
  return n as ExprNode;
};

describe('CloudFormation YAML', () => {
  it('parses without problems and finds parameters and resources in order', () => {
    expect(yaml.problems).toEqual([]);
    expect(yaml.format).toBe('cloudformation');
    expect(yaml.roots).toHaveLength(1);
    expect(yaml.resources.map((r) => [r.kind, r.type, r.name])).toEqual([
      ['parameter', 'String', 'Env'],
      ['parameter', 'String', 'VpcCidr'],
      ['resource', 'AWS::S3::Bucket', 'DataBucket'],
      ['resource', 'AWS::EC2::VPC', 'Vpc'],
      ['resource', 'AWS::EC2::Subnet', 'Subnet'],
      ['resource', 'AWS::EC2::Instance', 'Instance'],
      ['resource', 'AWS::CloudFormation::WaitConditionHandle', 'Handle'],
    ]);
    expect(yaml.toFileSpan({ start: 3, end: 9 })).toEqual({ start: 3, end: 9 });
  });

  it('places resources: span from the logical id to the end of the value, nameSpan on the key', () => {
    const bucket = resource(yaml, 'DataBucket');
    expect(pos(bucket.nameSpan.start)).toEqual({ line: 20, character: 2 });
    expect(src(bucket.nameSpan)).toBe('DataBucket');
    expect(pos(bucket.span.start)).toEqual({ line: 20, character: 2 });
    expect(pos(bucket.span.end)).toEqual({ line: 28, character: 78 });
    expect(bucket.raw && get(bucket.raw, 'Condition')).toMatchObject({ kind: 'scalar', value: 'IsProd' });
    expect(pos(bucket.body.span.start)).toEqual({ line: 24, character: 6 });
    expect(bucket.body.path).toEqual([]);

    const env = resource(yaml, 'Env');
    expect(pos(env.nameSpan.start)).toEqual({ line: 3, character: 2 });
    expect(at(env.body, 'AllowedValues', 1)).toMatchObject({ value: 'prod', path: ['AllowedValues', 1] });
    expect(resource(yaml, 'VpcCidr').type).toBe('String'); // quoted Type
  });

  it('gives an empty body at the resource value when Properties is absent', () => {
    const handle = resource(yaml, 'Handle');
    expect(handle.body.entries).toEqual([]);
    expect(handle.body.span).toEqual(handle.raw!.span);
    expect(pos(handle.body.span.start)).toEqual({ line: 69, character: 4 });
  });

  it('keeps quoted and plain scalar positions apart', () => {
    const bucket = resource(yaml, 'DataBucket');
    const acl = prop(bucket, 'AccessControl') as ScalarNode;
    expect(acl.value).toBe('PublicRead');
    expect(src(acl.span)).toBe("'PublicRead'");
    expect(src(acl.contentSpan!)).toBe('PublicRead');
    expect(pos(acl.span.start)).toEqual({ line: 25, character: 21 });
    expect(pos(acl.contentSpan!.start)).toEqual({ line: 25, character: 22 });

    const dns = prop(resource(yaml, 'Vpc'), 'EnableDnsSupport') as ScalarNode;
    expect(dns.value).toBe(true);
    expect(dns.contentSpan).toEqual(dns.span);
    expect(pos(dns.span.start)).toEqual({ line: 33, character: 24 });

    const key = bucket.body.entries.find((e) => e.key === 'AccessControl')!;
    expect(pos(key.keySpan.start)).toEqual({ line: 25, character: 6 });
    expect(src(key.keySpan)).toBe('AccessControl');

    const version = get(yaml.roots[0], 'AWSTemplateFormatVersion') as ScalarNode;
    expect(version.value).toBe('2010-09-09');
    expect(src(version.contentSpan!)).toBe('2010-09-09');
    expect(at(yaml.roots[0], 'Parameters', 'VpcCidr', 'Default')).toMatchObject({ value: '10.0.0.0/16' });
  });

  it('turns every short-form tag into an expression with its full name', () => {
    const fns = new Set<string>();
    for (const root of yaml.roots) for (const { node } of walk(root)) if (isExpr(node)) fns.add(node.fn!);
    expect([...fns].sort()).toEqual(
      [
        'Condition',
        'Fn::And',
        'Fn::Base64',
        'Fn::Cidr',
        'Fn::Equals',
        'Fn::FindInMap',
        'Fn::GetAZs',
        'Fn::GetAtt',
        'Fn::If',
        'Fn::ImportValue',
        'Fn::Join',
        'Fn::Length',
        'Fn::Not',
        'Fn::Or',
        'Fn::Select',
        'Fn::Split',
        'Fn::Sub',
        'Fn::ToJsonString',
        'Fn::Transform',
        'Fn::ValueOf',
        'Ref',
      ].sort(),
    );
  });

  it('!Ref: one scalar argument, the target in refs, the span over tag and value', () => {
    const ref = expr(prop(resource(yaml, 'Vpc'), 'CidrBlock'));
    expect(ref.fn).toBe('Ref');
    expect(ref.text).toBe('!Ref VpcCidr');
    expect(ref.refs).toEqual(['VpcCidr']);
    expect(ref.args).toHaveLength(1);
    expect(ref.args![0]).toMatchObject({ kind: 'scalar', value: 'VpcCidr', path: ['CidrBlock', 'Ref'] });
    expect(pos(ref.span.start)).toEqual({ line: 32, character: 17 });
    expect(pos(ref.args![0].span.start)).toEqual({ line: 32, character: 22 });
    expect(ref.path).toEqual(['CidrBlock']);

    const quoted = expr(at(resource(yaml, 'Instance').body, 'ImageId'));
    const region = expr(quoted.args![1]);
    expect(region.refs).toEqual(['AWS::Region']);
    expect(src(region.args![0].span)).toBe("'AWS::Region'");
  });

  it('!GetAtt: dotted scalar form, sequence form and long form', () => {
    const short = expr(prop(resource(yaml, 'Subnet'), 'VpcId'));
    expect(short.fn).toBe('Fn::GetAtt');
    expect(short.args!.map((a) => (a as ScalarNode).value)).toEqual(['Vpc.VpcId']);
    expect(short.refs).toEqual(['Vpc.VpcId']);

    const seq = expr(at(yaml.roots[0], 'Outputs', 'Arn', 'Value'));
    expect(seq.args!.map((a) => (a as ScalarNode).value)).toEqual(['DataBucket', 'Arn']);
    expect(seq.refs).toEqual(['DataBucket.Arn']);
    expect(seq.text).toBe('!GetAtt [DataBucket, Arn]');

    const long = expr(prop(resource(yaml, 'Instance'), 'LongAtt'));
    expect(long.fn).toBe('Fn::GetAtt');
    expect(long.refs).toEqual(['DataBucket.Arn']);
    expect(long.args!.map((a) => a.path)).toEqual([
      ['LongAtt', 'Fn::GetAtt', 0],
      ['LongAtt', 'Fn::GetAtt', 1],
    ]);
    expect(pos(long.span.start)).toEqual({ line: 63, character: 8 });
    expect(long.text).toBe('Fn::GetAtt: [DataBucket, Arn]');

    const longRef = expr(prop(resource(yaml, 'Instance'), 'LongRef'));
    expect([longRef.fn, longRef.refs]).toEqual(['Ref', ['Env']]);
  });

  it('!If in flow and block sequence form', () => {
    const flow = expr(prop(resource(yaml, 'Subnet'), 'MapPublicIpOnLaunch'));
    expect(flow.fn).toBe('Fn::If');
    expect(flow.args!.map((a) => (a as ScalarNode).value)).toEqual(['IsProd', false, true]);
    expect(flow.args!.map((a) => a.path)).toEqual([
      ['MapPublicIpOnLaunch', 'Fn::If', 0],
      ['MapPublicIpOnLaunch', 'Fn::If', 1],
      ['MapPublicIpOnLaunch', 'Fn::If', 2],
    ]);

    const block = expr(prop(resource(yaml, 'Instance'), 'InstanceType'));
    expect(block.args).toHaveLength(3);
    expect(isScalar(block.args![1]) && block.args![1].value).toBe('m5.large');
    expect(expr(block.args![2]).refs).toEqual(['AWS::NoValue']);
    expect(block.refs).toEqual(['AWS::NoValue']);
    expect(pos(block.span.start)).toEqual({ line: 47, character: 20 });
    expect(pos(block.span.end)).toEqual({ line: 50, character: 27 });
  });

  it('!Sub: refs of ${...} (pseudo parameters included), literal parts, variable maps', () => {
    const name = expr(prop(resource(yaml, 'DataBucket'), 'BucketName'));
    expect(name.fn).toBe('Fn::Sub');
    expect(name.refs).toEqual(['AWS::StackName', 'Env']);
    expect(name.literalParts).toEqual(['-', '-data']);
    const template = name.args![0] as ScalarNode;
    expect(template.value).toBe('${AWS::StackName}-${Env}-data');
    expect(pos(template.span.start)).toEqual({ line: 24, character: 23 });
    expect(pos(template.contentSpan!.start)).toEqual({ line: 24, character: 24 });
    expect(pos(name.span.start)).toEqual({ line: 24, character: 18 });

    const withVars = expr(prop(resource(yaml, 'Instance'), 'IamInstanceProfile'));
    expect(withVars.args).toHaveLength(2);
    expect(withVars.refs).toEqual(['AWS::Partition', 'DataBucket']);
    expect(withVars.literalParts).toEqual(['arn:', ':s3:::', '/*']);
  });

  it('a long-form Fn::Sub block scalar inside !Base64', () => {
    const b64 = expr(prop(resource(yaml, 'Instance'), 'UserData'));
    expect(b64.fn).toBe('Fn::Base64');
    const sub = expr(b64.args![0]);
    expect(sub.fn).toBe('Fn::Sub');
    expect(sub.path).toEqual(['UserData', 'Fn::Base64']);
    expect(sub.refs).toEqual(['Env']);
    expect(sub.literalParts).toEqual(['#!/bin/bash\necho ', ' > /tmp/env\n']);
    expect(b64.refs).toEqual(['Env']);
    const script = sub.args![0] as ScalarNode;
    expect(script.value).toBe('#!/bin/bash\necho ${Env} > /tmp/env\n');
    expect(pos(script.span.start)).toEqual({ line: 52, character: 17 }); // the `|`
    expect(pos(script.contentSpan!.start)).toEqual({ line: 53, character: 10 });
    expect(pos(script.contentSpan!.end)).toEqual({ line: 54, character: 32 });
  });

  it("nested !Join ['', [..., !Ref X]] collects refs from inside", () => {
    const join = expr(at(resource(yaml, 'DataBucket').body, 'Tags', 0, 'Value'));
    expect(join.fn).toBe('Fn::Join');
    expect(join.refs).toEqual(['Env']);
    expect(join.args![0]).toMatchObject({ kind: 'scalar', value: '' });
    const parts = join.args![1];
    expect(parts.kind).toBe('list');
    const select = expr(at(parts, 2));
    expect(select.fn).toBe('Fn::Select');
    const split = expr(select.args![1]);
    expect(split.args!.map((a) => (a as ScalarNode).value)).toEqual([',', 'a,b']);
    expect(join.path).toEqual(['Tags', 0, 'Value']);
    expect(pos(join.span.start)).toEqual({ line: 28, character: 17 });
  });

  it('mapping-form tags and scalar-form tags', () => {
    const transform = expr(prop(resource(yaml, 'Instance'), 'Tags'));
    expect(transform.fn).toBe('Fn::Transform');
    expect(transform.args).toHaveLength(1);
    expect(isMap(transform.args![0]) && at(transform.args![0], 'Parameters', 'Location')).toMatchObject({ value: 's3://b/tags.yaml' });
    const json = expr(at(yaml.roots[0], 'Outputs', 'Arn', 'Json'));
    expect(json.refs).toEqual(['Env']);
    expect(expr(prop(resource(yaml, 'Instance'), 'SubnetId')).args![0]).toMatchObject({ value: 'shared-subnet' });
    const azs = expr(expr(prop(resource(yaml, 'Subnet'), 'AvailabilityZone')).args![1]);
    expect(azs.fn).toBe('Fn::GetAZs');
    expect(azs.args![0]).toMatchObject({ value: '' });
    const conditions = get(yaml.roots[0], 'Conditions') as MapNode;
    const both = expr(get(conditions, 'Both'));
    expect(both.args!.map((a) => (a as ExprNode).fn)).toEqual(['Condition', 'Fn::Or']);
    expect(expr(both.args![0]).args![0]).toMatchObject({ value: 'IsProd' });
  });

  it('does not mistake maps that merely contain Condition for intrinsics', () => {
    const statement = prop(resource(yaml, 'Instance'), 'Statement');
    expect(statement.kind).toBe('map');
    expect(get(statement, 'Condition')?.kind).toBe('map');
    expect(resource(yaml, 'DataBucket').raw!.kind).toBe('map');
  });

  it('reports comments with their positions', () => {
    expect(yaml.comments.map((c) => [pos(c.span.start), c.text])).toEqual([
      [{ line: 19, character: 2 }, ' the data bucket'],
      [{ line: 25, character: 34 }, ' airlock:ignore storage/s3-public-acl -- test'],
    ]);
    // `#!/bin/bash` is block scalar content, not a comment.
  });
});

/** The same template written with long forms in JSON and short forms in YAML. */
const SMALL_YAML = lines(
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Parameters:',
  '  Env: {Type: String, Default: dev}',
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: !Sub "${Env}-data"',
  '      VersioningConfiguration:',
  '        Status: !If [IsProd, Enabled, Suspended]',
  '      Tags:',
  '        - Key: Env',
  "          Value: !Join ['', [!Ref Env, '-', !Select [0, !GetAZs '']]]",
  '        - Key: Count',
  '          Value: 3',
  '      ObjectLockEnabled: true',
  '  Role:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      Path: !ImportValue shared-path',
  '      Arn: !GetAtt [Bucket, Arn]',
  '      Note: null',
);

const SMALL_JSON = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "Env": { "Type": "String", "Default": "dev" } },
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": { "Fn::Sub": "\${Env}-data" },
        "VersioningConfiguration": { "Status": { "Fn::If": ["IsProd", "Enabled", "Suspended"] } },
        "Tags": [
          { "Key": "Env", "Value": { "Fn::Join": ["", [{ "Ref": "Env" }, "-", { "Fn::Select": [0, { "Fn::GetAZs": "" }] }]] } },
          { "Key": "Count", "Value": 3 },
        ],
        "ObjectLockEnabled": true
      }
    },
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "Path": { "Fn::ImportValue": "shared-path" },
        "Arn": { "Fn::GetAtt": ["Bucket", "Arn"] },
        "Note": null
      }
    }
  }
}
`;

/** Everything but positions. */
function shape(n: Node): unknown {
  switch (n.kind) {
    case 'scalar':
      return { path: n.path, value: n.value };
    case 'list':
      return { path: n.path, items: n.items.map(shape) };
    case 'map':
      return { path: n.path, entries: n.entries.map((e) => [e.key, shape(e.value)]) };
    case 'expr':
      return { path: n.path, fn: n.fn, args: n.args?.map(shape), refs: n.refs, literalParts: n.literalParts };
  }
}

describe('CloudFormation JSON', () => {
  const json = parseJsonDocument('template.json', SMALL_JSON, cloudFormationDialect);
  const small = parseYamlDocuments('template.yaml', SMALL_YAML, cloudFormationDialect);

  it('gives the same model as the equivalent YAML template', () => {
    expect(json.problems).toEqual([]); // the trailing comma after the last tag is accepted
    expect(small.problems).toEqual([]);
    const summary = (f: ParsedFile) => f.resources.map((r) => ({ kind: r.kind, type: r.type, name: r.name, body: shape(r.body) }));
    expect(summary(json)).toEqual(summary(small));
    expect(json.roots.map(shape)).toEqual(small.roots.map(shape));
    expect(json.resources).toHaveLength(3);
  });

  it('places strings with and without quotes, keys and resources', () => {
    const idx = new LineIndex(SMALL_JSON);
    const bucket = json.resources.find((r) => r.name === 'Bucket')!;
    expect(idx.position(bucket.nameSpan.start)).toEqual({ line: 4, character: 4 });
    expect(src(bucket.nameSpan, SMALL_JSON)).toBe('"Bucket"');
    expect(idx.position(bucket.span.end)).toEqual({ line: 15, character: 5 });
    const status = expr(at(bucket.body, 'VersioningConfiguration', 'Status'));
    expect(src(status.span, SMALL_JSON)).toBe('{ "Fn::If": ["IsProd", "Enabled", "Suspended"] }');
    const enabled = status.args![1] as ScalarNode;
    expect(src(enabled.span, SMALL_JSON)).toBe('"Enabled"');
    expect(src(enabled.contentSpan!, SMALL_JSON)).toBe('Enabled');
    expect(idx.position(enabled.span.start)).toEqual({ line: 8, character: 70 });
    expect(idx.position(enabled.contentSpan!.start)).toEqual({ line: 8, character: 71 });
    const lock = get(bucket.body, 'ObjectLockEnabled') as ScalarNode;
    expect(lock.value).toBe(true);
    expect(lock.contentSpan).toEqual(lock.span);
    const key = bucket.body.entries.find((e) => e.key === 'Tags')!;
    expect(idx.position(key.keySpan.start)).toEqual({ line: 9, character: 8 });
    expect(json.comments).toEqual([]);
  });

  it('decodes escapes while spans keep the source', () => {
    const text = '{"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a\\"b\\u0041"}}}}';
    const f = parseJsonDocument('t.json', text, cloudFormationDialect);
    const name = get(f.resources[0].body, 'TopicName') as ScalarNode;
    expect(name.value).toBe('a"bA');
    expect(src(name.contentSpan!, text)).toBe('a\\"b\\u0041');
  });

  it('reports JSONC comments', () => {
    const text = '{\n  // note\n  "Resources": { /* none */ }\n}\n';
    const f = parseJsonDocument('t.json', text, cloudFormationDialect);
    expect(f.problems).toEqual([]);
    expect(f.comments.map((c) => [c.text, new LineIndex(text).position(c.span.start)])).toEqual([
      [' note', { line: 1, character: 2 }],
      [' none ', { line: 2, character: 17 }],
    ]);
  });

  it('normalises long forms in one place for both syntaxes', () => {
    const map: MapNode = {
      kind: 'map',
      span: { start: 0, end: 10 },
      path: ['X'],
      entries: [{ key: 'Ref', keySpan: { start: 0, end: 3 }, value: { kind: 'scalar', value: 'B', span: { start: 5, end: 6 }, path: ['X', 'Ref'] } }],
    };
    expect(normalizeIntrinsicMap(map, 'Ref: B    ')).toMatchObject({ kind: 'expr', fn: 'Ref', refs: ['B'], path: ['X'] });
    const loop: MapNode = { ...map, entries: [{ ...map.entries[0], key: 'Fn::ForEach::Topics' }] };
    expect(normalizeIntrinsicMap(loop, '')).toBe(loop);
  });
});

describe('CloudFormation broken input', () => {
  it('bad indentation: reports the line, keeps what parsed', () => {
    const text = lines(
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      BucketName: a',
      '     AccessControl: PublicRead',
      '  Queue:',
      '    Type: AWS::SQS::Queue',
    );
    const f = parseYamlDocuments('t.yaml', text, cloudFormationDialect);
    expect(f.problems.length).toBeGreaterThan(0);
    expect(f.problems[0].message).toMatch(/^YAML: /);
    const idx = new LineIndex(text);
    expect(idx.position(f.problems[0].span.start).line).toBe(5);
    expect(f.resources.map((r) => r.name)).toEqual(['Bucket', 'Queue']);
    expect(get(f.resources[0].body, 'BucketName')).toMatchObject({ value: 'a' });
  });

  it('unterminated quoted string: problem at the end, earlier resources intact', () => {
    const text = lines(
      'Resources:',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      BucketName: "unterminated',
      '      AccessControl: Private',
    );
    const f = parseYamlDocuments('t.yaml', text, cloudFormationDialect);
    expect(f.problems.map((p) => p.message)).toContain('YAML: Missing closing "quote');
    const p = f.problems.find((x) => x.message.includes('quote'))!;
    expect(new LineIndex(text).position(p.span.start)).toEqual({ line: 8, character: 0 });
    expect(f.resources.map((r) => [r.name, r.type])).toEqual([
      ['Topic', 'AWS::SNS::Topic'],
      ['Bucket', 'AWS::S3::Bucket'],
    ]);
    const name = get(f.resources[1].body, 'BucketName') as ScalarNode;
    expect(String(name.value)).toMatch(/^unterminated/);
  });

  it('truncated JSON: problems at the cut, resources read so far', () => {
    const text = SMALL_JSON.slice(0, SMALL_JSON.indexOf('"Arn"') + 3);
    const f = parseJsonDocument('t.json', text, cloudFormationDialect);
    expect(f.problems.length).toBeGreaterThan(0);
    expect(f.problems.every((p) => p.message.startsWith('JSON: '))).toBe(true);
    expect(f.problems.some((p) => p.span.start >= text.length - 5)).toBe(true);
    expect(f.resources.map((r) => r.name)).toEqual(['Env', 'Bucket', 'Role']);
    expect(get(f.resources[2].body, 'Path')).toMatchObject({ kind: 'expr', fn: 'Fn::ImportValue' });
    expect(f.resources[2].span.end).toBeLessThanOrEqual(text.length);
  });

  it('JSON syntax errors carry positions and readable messages', () => {
    const text = '{"Resources": {"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": , "Tags" []}}}}';
    const f = parseJsonDocument('t.json', text, cloudFormationDialect);
    expect(f.problems.map((p) => p.message)).toEqual(['JSON: value expected', 'JSON: colon expected']);
    expect(f.problems[0].span.start).toBe(text.indexOf(', "Tags"'));
    expect(f.resources).toHaveLength(1);
    expect(get(f.resources[0].body, 'BucketName')).toMatchObject({ kind: 'scalar', value: null });
  });

  it('tabs, binary garbage and empty files never throw', () => {
    const tabbed = 'Resources:\n\tBucket:\n\t\tType: AWS::S3::Bucket\n';
    const t = parseYamlDocuments('t.yaml', tabbed, cloudFormationDialect);
    expect(t.problems.length).toBeGreaterThan(0);
    expect(new LineIndex(tabbed).position(t.problems[0].span.start).line).toBe(1);

    const garbage = '\u0000\u0001\u0002\u00ff\ufffd: [\u0007{"\n\t- !Ref\n!!!\n';
    expect(() => parseYamlDocuments('g.yaml', garbage, cloudFormationDialect)).not.toThrow();
    const gj = parseJsonDocument('g.json', garbage, cloudFormationDialect);
    expect(gj.problems.length).toBeGreaterThan(0);

    for (const f of [parseYamlDocuments('e.yaml', '', cloudFormationDialect), parseJsonDocument('e.json', '', cloudFormationDialect)]) {
      expect(f).toMatchObject({ roots: [], resources: [], problems: [], comments: [] });
    }
    const spaces = parseJsonDocument('e.json', '  \n', cloudFormationDialect);
    expect(spaces.roots).toEqual([]);
  });

  it('namespaced pre-processor tags pass silently; unknown short tags are reported', () => {
    const text = 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: !Rain::Embed handler.py\n      Role: !GetAttr Role.Arn\n';
    const f = parseYamlDocuments('t.yaml', text, cloudFormationDialect);
    // The tag is written in the file and may be a secret: the message masks it.
    expect(f.problems.map((p) => p.message)).toEqual(['YAML: Unresolved tag: !G…tr']);
    expect(get(f.resources[0].body, 'Code')).toMatchObject({ kind: 'scalar', value: 'handler.py' });
  });
});

describe('Serverless Framework files', () => {
  const service = [
    'service: orders',
    '',
    'provider:',
    '  name: aws',
    '  environment:',
    '    TABLE: orders',
    '',
    'resources:',
    '  Resources:',
    '    Receipts:',
    '      Type: AWS::S3::Bucket',
    '      Properties:',
    '        AccessControl: PublicRead',
    '  Outputs:',
    '    Name:',
    '      Value: !Ref Receipts',
    '',
  ].join('\n');

  it('are read as templates whose resources sit under resources.Resources', async () => {
    expect(detectFormat('/w/serverless.yml', service)).toBe('cloudformation');
    const f = await parseFile('/w/serverless.yml', service);
    expect(f.resources.map((r) => [r.kind, r.type, r.name])).toEqual([['resource', 'AWS::S3::Bucket', 'Receipts']]);
    // Paths below a resource's Properties are relative to it, as in a template.
    expect(f.resources[0].body.entries.map((e) => [e.key, e.value.path])).toEqual([['AccessControl', ['AccessControl']]]);
    const json = JSON.stringify({ service: 'orders', provider: { name: 'aws' }, resources: { Resources: { Q: { Type: 'AWS::SQS::Queue' } } } }, null, 2);
    expect((await parseFile('/w/serverless.json', json)).resources.map((r) => r.name)).toEqual(['Q']);
    // Minified, as one line, the provider first.
    const minified = JSON.stringify({ provider: { name: 'aws' }, service: 'orders', resources: { Resources: { Q: { Type: 'AWS::SQS::Queue' } } } });
    expect(detectFormat('/w/serverless.json', minified)).toBe('cloudformation');
  });

  it('are recognised without resources, with the provider written as one word too', () => {
    expect(detectFormat('/w/serverless.yml', 'service: worker\nprovider:\n  runtime: nodejs20.x\n  name: aws\nfunctions:\n  a:\n    handler: a.h\n')).toBe(
      'cloudformation',
    );
    expect(detectFormat('/w/serverless.yml', 'service: worker\nprovider: aws\nfunctions:\n  a:\n    handler: a.h\n')).toBe('cloudformation');
  });

  it('are not confused with values that have service and provider keys', () => {
    const values = 'service:\n  type: ClusterIP\n  port: 80\nprovider:\n  name: aws\n';
    expect(detectFormat('/w/values.yaml', values)).not.toBe('cloudformation');
    expect(detectFormat('/w/app.yaml', 'service: api\nprovider:\n  name: google\n')).not.toBe('cloudformation');
  });

  it('detects in linear time: a provider followed by many blank and indented lines, and a long nested fallback', () => {
    const provider = (n: number) => `service: x\nprovider:\n${'  \n    a: 1\n'.repeat(n)}`;
    expect(growthFrom(2000, (n) => detectFormat('/w/serverless.yml', provider(n)))).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
