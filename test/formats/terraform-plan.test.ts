/**
 * One Terraform module read three ways — `.tf` files, `.tf.json` files, and a plan of it (`terraform show
 * -json`) — gives the same findings: the same rules on the same resource addresses (a plan's `count` and
 * `for_each` instances counted under their resource). Findings on the plan name the instance address, point
 * at its values in `planned_values`, carry no fixes, and relate to the block in the `.tf` sources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, analyze, at, type Finding, get, parseFile, type ParsedFile, Project, type Resource } from '../../core';
import { RULES } from '../../rules';
import type { PlanFile } from '../../core/formats/terraform-plan/parse';
import { growthFromAsync, LINEAR_GROWTH_LIMIT } from '../hostile/scaling';

const DIR = path.join(__dirname, '..', 'fixtures', 'terraform-formats');
/** Every rule on, the ones off by default included (module version ranges). */
const CONFIG = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'on' as const])), ignore: [], maxFileSize: 1e9 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function scan(paths: string[]): Promise<{ file: ParsedFile; findings: Finding[] }[]> {
  const files = await Promise.all(paths.map((p) => parseFile(p, readFileSync(p, 'utf8'))));
  const project = new Project(files);
  return Promise.all(files.map(async (file) => ({ file, findings: (await analyze(file, { rules: RULES, config: CONFIG, project })).findings })));
}

function holder(file: ParsedFile, f: Finding): Resource | undefined {
  return file.resources.filter((r) => r.span.start <= f.span.start && f.span.end <= r.span.end).sort((a, b) => b.span.start - a.span.start)[0];
}

/** `rule address` of every finding; a source file's address gets its module's prefix, a plan's its instance keys dropped. */
function keys(results: { file: ParsedFile; findings: Finding[] }[], root: string): string[] {
  const out = new Set<string>();
  for (const { file, findings } of results) {
    const folder = path.relative(root, path.dirname(file.uri));
    const prefix = folder ? `module.${path.basename(folder)}.` : '';
    for (const f of findings) {
      const r = holder(file, f);
      const address = r?.address ?? (r && `${prefix}${r.kind === 'module' ? `module.${r.name}` : `${r.type}.${r.name}`}`);
      out.add(`${f.ruleId} ${address?.replace(/\[[^\]]*\]/g, '')}`);
    }
  }
  return [...out].sort();
}

const EXPECTED = [
  'network/open-egress aws_security_group.workers',
  'network/open-ingress aws_security_group.bastion',
  'pin/module-version-range module.vpc',
  'storage/azure-blob-public-access azurerm_storage_account.features',
  'storage/s3-public-access-block-disabled module.data.aws_s3_bucket_public_access_block.raw',
  'storage/s3-public-acl aws_s3_bucket_acl.shared',
  'storage/s3-public-acl module.data.aws_s3_bucket_acl.raw',
];

describe('one module as .tf, as .tf.json and as a plan', () => {
  it('gives the same rules on the same resources', async () => {
    const hcl = path.join(DIR, 'hcl');
    const json = path.join(DIR, 'json');
    expect(keys(await scan(filesUnder(hcl).filter((p) => p.endsWith('.tf'))), hcl)).toEqual(EXPECTED);
    expect(keys(await scan(filesUnder(json)), json)).toEqual(EXPECTED);
    expect(keys(await scan([path.join(hcl, 'plan.json')]), hcl)).toEqual(EXPECTED);
    expect(keys(await scan([path.join(DIR, 'minified-plan.json')]), DIR)).toEqual(EXPECTED);
  });

  it('reports each planned instance, in planned_values, with its address and its block in the sources', async () => {
    const hcl = path.join(DIR, 'hcl');
    const results = await scan([...filesUnder(hcl)]);
    const plan = results.find((r) => r.file.format === 'terraform-plan')!;
    const text = plan.file.text;
    const changes = text.indexOf('"resource_changes"');
    const acl = plan.findings.filter((f) => f.ruleId === 'storage/s3-public-acl' && f.related?.[0].message.includes('module.data'));
    expect(acl.map((f) => text.slice(f.span.start, f.span.end))).toEqual(['public-read', 'public-read']);
    // A grantee three nested blocks down (access_control_policy → grant → grantee), each an array in the plan.
    const grant = plan.findings.find((f) => f.ruleId === 'storage/s3-public-acl' && f.related?.[0].message.endsWith('aws_s3_bucket_acl.shared'))!;
    expect(text.slice(grant.span.start, grant.span.end)).toBe('http://acs.amazonaws.com/groups/global/AllUsers');
    expect(grant.related?.[1].uri).toBe(path.join(hcl, 'main.tf'));
    for (const f of plan.findings) {
      // Resources are reported in planned_values (module calls in configuration), never again in resource_changes.
      if (!f.ruleId.startsWith('pin/')) expect(f.span.end, f.ruleId).toBeLessThan(changes);
      expect(f.fixes ?? []).toEqual([]);
    }
    expect(acl.map((f) => f.related?.map((r) => [r.message, r.uri && path.relative(hcl, r.uri)]))).toEqual([
      [
        ['planned resource module.data.aws_s3_bucket_acl.raw["eu"]', undefined],
        ['resource "aws_s3_bucket_acl" "raw" is declared here', 'modules/data/main.tf'],
      ],
      [
        ['planned resource module.data.aws_s3_bucket_acl.raw["us"]', undefined],
        ['resource "aws_s3_bucket_acl" "raw" is declared here', 'modules/data/main.tf'],
      ],
    ]);
    const egress = plan.findings.filter((f) => f.ruleId === 'network/open-egress');
    expect(egress.map((f) => f.related?.[0].message)).toEqual([
      'planned resource aws_security_group.workers[0]',
      'planned resource aws_security_group.workers[1]',
    ]);
    expect(egress[0].related?.[1]?.uri).toBe(path.join(hcl, 'main.tf'));
    const range = plan.findings.find((f) => f.ruleId === 'pin/module-version-range')!;
    expect(text.slice(range.span.start, range.span.end)).toBe('~> 5.0');
    expect(range.related?.map((r) => r.message)).toEqual(['module call module.vpc', 'module "vpc" is declared here']);
  });

  it('keeps exact positions in a minified one-line plan', async () => {
    const [{ file, findings }] = await scan([path.join(DIR, 'minified-plan.json')]);
    expect(file.text.includes('\n')).toBe(false);
    const texts = findings.map((f) => `${f.ruleId} ${file.text.slice(f.span.start, f.span.end)}`);
    expect(texts).toContain('storage/s3-public-acl public-read');
    expect(texts).toContain('network/open-ingress 0.0.0.0/0');
    expect(texts).toContain('storage/s3-public-access-block-disabled false');
  });
});

describe('plan model', () => {
  it('reads values known after apply as references from the configuration', async () => {
    const file = await parseFile(path.join(DIR, 'hcl', 'plan.json'), readFileSync(path.join(DIR, 'hcl', 'plan.json'), 'utf8'));
    const pab = file.resources.find((r) => r.address === 'module.data.aws_s3_bucket_public_access_block.raw["eu"]')!;
    const bucket = pab.body.entries.find((e) => e.key === 'bucket')?.value;
    expect(bucket).toMatchObject({ kind: 'expr', refs: ['each.value.id', 'each.value'], path: ['bucket'] });
    const sg = file.resources.find((r) => r.address === 'aws_security_group.bastion')!;
    expect(sg.body.entries.find((e) => e.key === 'vpc_id')?.value).toMatchObject({ kind: 'expr', refs: ['module.vpc.vpc_id', 'module.vpc'] });
    // Resources of resource_changes and configuration are not resources of the model a second time.
    expect(file.resources.filter((r) => r.kind === 'resource').map((r) => r.address)).toHaveLength(12);
    expect(file.resources.filter((r) => r.kind === 'module').map((r) => r.address)).toEqual(['module.data', 'module.vpc']);
  });

  it('reads nested blocks, arrays of objects in a plan, as HCL reads them: one block entry per object', async () => {
    const file = await parseFile(path.join(DIR, 'hcl', 'plan.json'), readFileSync(path.join(DIR, 'hcl', 'plan.json'), 'utf8'));
    const acl = file.resources.find((r) => r.address === 'aws_s3_bucket_acl.shared')!;
    const uri = at(acl.body, 'access_control_policy', 'grant', 'grantee', 'uri');
    expect(uri).toMatchObject({
      kind: 'scalar',
      value: 'http://acs.amazonaws.com/groups/global/AllUsers',
      path: ['access_control_policy', 'grant', 'grantee', 'uri'],
    });
    const policy = acl.body.entries.find((e) => e.key === 'access_control_policy')!;
    // One block: anchored at its key, as in HCL.
    expect(policy).toMatchObject({ form: 'block' });
    expect(file.text.slice(policy.keySpan.start, policy.keySpan.end)).toBe('"access_control_policy"');
    const sg = file.resources.find((r) => r.address === 'aws_security_group.bastion')!;
    expect(all(sg.body, 'ingress')).toHaveLength(1);
    expect(get(get(sg.body, 'ingress'), 'cidr_blocks')).toMatchObject({ kind: 'list', path: ['ingress', 'cidr_blocks'] });
    // An empty array is no block and an empty list alike: it stays a list.
    expect(get(sg.body, 'egress')).toMatchObject({ kind: 'list', items: [] });
    // Several blocks under one key: each is anchored at its own opening brace.
    const two = await parseFile(
      '/p/plan.json',
      '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_security_group.w","mode":"managed","type":"aws_security_group","name":"w","values":{"ingress":[{"from_port":22},{"from_port":443}]}}]}}}',
    );
    const blocks = two.resources.find((r) => r.address === 'aws_security_group.w')!.body.entries.filter((e) => e.key === 'ingress');
    expect(blocks.map((b) => two.text.slice(b.keySpan.start, b.keySpan.end))).toEqual(['{', '{']);
    expect(blocks.map((b) => b.keySpan.start)).toEqual(blocks.map((b) => b.value.span.start));
  });

  it('reads provider configurations as provider blocks: literals, references and nested blocks, in their module', async () => {
    const text = JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: {} },
      configuration: {
        provider_config: {
          aws: {
            name: 'aws',
            expressions: {
              region: { constant_value: 'eu-west-1' },
              secret_key: { references: ['var.keys["secret"]', 'var.keys'] },
              assume_role: [{ role_arn: { constant_value: 'arn:aws:iam::123456789012:role/ci' } }],
            },
          },
          'module.db:aws': { name: 'aws', module_address: 'module.db', expressions: { default_tags: [{ tags: { constant_value: { Team: 'ml' } } }] } },
        },
        root_module: { module_calls: { db: { source: './modules/db', module: {} } } },
      },
    });
    const file = (await parseFile('/p/plan.json', text)) as PlanFile;
    const providers = file.plan.filter((p) => p.resource.kind === 'provider');
    expect(providers.map((p) => [p.resource.address, p.resource.type, p.moduleDir])).toEqual([
      ['aws', 'aws', ''],
      ['module.db:aws', 'aws', 'modules/db'],
    ]);
    const aws = providers[0].resource;
    expect(get(aws.body, 'region')).toMatchObject({ kind: 'scalar', value: 'eu-west-1', path: ['region'] });
    expect(get(aws.body, 'secret_key')).toMatchObject({ kind: 'expr', refs: ['var.keys'], path: ['secret_key'] });
    expect(at(aws.body, 'assume_role', 'role_arn')).toMatchObject({ kind: 'scalar', path: ['assume_role', 'role_arn'] });
    expect(at(providers[1].resource.body, 'default_tags', 'tags', 'Team')).toMatchObject({ value: 'ml', path: ['default_tags', 'tags', 'Team'] });
  });

  it('reads a plan without planned values, a truncated plan and a state file without failing', async () => {
    const cases = [
      '{"format_version":"1.2","resource_changes":[]}',
      '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket"',
      '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"values":{}},7,null]}}}',
      // Provider configurations of the wrong shapes: a list, an expressions string, an unfinished nested block.
      '{"format_version":"1.2","planned_values":{},"configuration":{"provider_config":[{"name":"aws"}]}}',
      '{"format_version":"1.2","planned_values":{},"configuration":{"provider_config":{"aws":{"expressions":"x"},"gcp":7,"v":{"expressions":{"auth":[1,{"p":{"constant_value":',
    ];
    for (const text of cases) {
      const file = await parseFile('/p/plan.json', text);
      expect(file.format).toBe('terraform-plan');
      expect(Array.isArray(file.resources)).toBe(true);
    }
    expect((await parseFile('/p/plan.json', cases[1])).problems.length).toBeGreaterThan(0);
  });

  it('reads a one-line plan in time linear in its resources', async () => {
    const resource = (i: number) =>
      `{"address":"module.m.aws_security_group.g[${i}]","mode":"managed","type":"aws_security_group","name":"g","index":${i},"values":{"ingress":[{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["10.0.0.0/8"]}]}}`;
    const change = (i: number) => `{"address":"module.m.aws_security_group.g[${i}]","change":{"after_unknown":{"id":true,"vpc_id":true}}}`;
    const plan = (n: number) => {
      const ids = Array.from({ length: n }, (_, i) => i);
      return `{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.m","resources":[${ids.map(resource).join(',')}]}]}},"resource_changes":[${ids.map(change).join(',')}]}`;
    };
    const ratio = await growthFromAsync(300, async (n) => {
      const file = await parseFile('/p/plan.json', plan(n));
      await analyze(file, { rules: RULES, config: CONFIG, project: new Project([file]) });
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
