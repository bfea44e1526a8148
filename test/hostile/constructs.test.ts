import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/formats';
import { convertFindings } from '../../core/report/convert';
import { analyze } from '../../core/runner';
import { RULES } from '../../rules';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

/** Parse, analyse with every rule and convert to report findings, as a scan does; the number of findings. */
async function scan(uri: string, text: string): Promise<number> {
  const file = await parseFile(uri, text);
  const { findings } = await analyze(file, { rules: RULES });
  return convertFindings(file, findings, { root: '/p' }).length;
}

describe('inputs built to be slow scan in time linear in their size', () => {
  it('a stream of Kubernetes documents, each with an unpinned image', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n`;
    const ratio = await growthFromAsync(600, async (n) => {
      const text = Array.from({ length: n }, (_, i) => doc(i)).join('---\n');
      expect(await scan('/p/pods.yaml', text)).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Terraform module of buckets, each with its public access block', async () => {
    const pair = (i: number) =>
      `resource "aws_s3_bucket" "b${i}" {\n  bucket = "n${i}"\n}\nresource "aws_s3_bucket_public_access_block" "p${i}" {\n  bucket = aws_s3_bucket.b${i}.id\n  block_public_acls = false\n}\n`;
    const ratio = await growthFromAsync(400, async (n) => {
      expect(await scan('/p/main.tf', Array.from({ length: n }, (_, i) => pair(i)).join(''))).toBe(2 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Terraform module of variables, each read by a security group rule', async () => {
    const pair = (i: number) =>
      `variable "cidr${i}" {\n  default = "10.${i % 250}.0.0/16"\n}\nresource "aws_security_group_rule" "r${i}" {\n  type = "ingress"\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = [var.cidr${i}]\n  security_group_id = "sg-1"\n}\n`;
    const ratio = await growthFromAsync(400, async (n) => {
      expect(await scan('/p/main.tf', Array.from({ length: n }, (_, i) => pair(i)).join(''))).toBe(0);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Terraform module of security groups fed by for-expressions, conditionals, functions and dynamic blocks', async () => {
    const group = (i: number) =>
      [
        'locals {',
        `  rules${i} = [{ port = 22, cidr = "0.0.0.0/0", on = true }, { port = 80, cidr = "10.0.0.0/8", on = false }]`,
        '}',
        `resource "aws_security_group" "g${i}" {`,
        '  dynamic "ingress" {',
        `    for_each = { for r in local.rules${i} : "\${r.port}-\${r.cidr}" => r if r.on }`,
        '    iterator = rule',
        '    content {',
        '      from_port   = rule.value.port',
        '      to_port     = try(rule.value.to, rule.value.port)',
        '      protocol    = "tcp"',
        `      cidr_blocks = var.public ? [rule.value.cidr] : compact(concat([var.office${i}], ["10.0.0.0/8"]))`,
        '    }',
        '  }',
        '}',
        '',
      ].join('\n');
    const ratio = await growthFromAsync(150, async (n) => {
      expect(await scan('/p/main.tf', Array.from({ length: n }, (_, i) => group(i)).join(''))).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('LoadBalancer Services in front of vector database Deployments', async () => {
    const deployment = (i: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    metadata:\n      labels:\n        app: q${i}\n    spec:\n      containers:\n        - name: q\n          image: qdrant/qdrant@sha256:${'a'.repeat(64)}\n`;
    const service = (i: number, deployments: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: LoadBalancer\n  selector:\n    app: q${i % deployments}\n  ports:\n    - port: 6333\n`;
    const ratio = await growthFromAsync(500, async (n) => {
      const deployments = n / 2;
      const docs = [...Array.from({ length: deployments }, (_, i) => deployment(i)), ...Array.from({ length: n }, (_, i) => service(i, deployments))];
      expect(await scan('/p/all.yaml', docs.join('---\n'))).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('vector database workloads, each in a namespace whose NetworkPolicies select other pods, behind an Ingress', async () => {
    const namespace = (i: number) =>
      [
        `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: q${i}\n  namespace: n${i}\nspec:\n  template:\n    metadata:\n      labels:\n        app: q${i}\n    spec:\n      containers:\n        - name: q\n          image: qdrant/qdrant@sha256:${'a'.repeat(64)}\n`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: q${i}\n  namespace: n${i}\nspec:\n  selector:\n    app: q${i}\n`,
        `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: q${i}\n  namespace: n${i}\nspec:\n  defaultBackend:\n    service:\n      name: q${i}\n`,
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api${i}\n  namespace: n${i}\nspec:\n  podSelector:\n    matchLabels:\n      app: api${i}\n`,
      ].join('---\n');
    const ratio = await growthFromAsync(100, async (n) => {
      expect(await scan('/p/all.yaml', Array.from({ length: n }, (_, i) => namespace(i)).join('---\n'))).toBe(2 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Modelfile of many FROM lines and long quoted values, and one whose quotes never close', async () => {
    const block = (i: number) => `FROM llama${i}\nPARAMETER num_ctx ${i}\nSYSTEM """\n${'# line\n'.repeat(20)}"""\n`;
    const ratio = await growthFromAsync(500, async (n) => {
      expect(await scan('/p/Modelfile', Array.from({ length: n }, (_, i) => block(i)).join(''))).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
    const open = await growthFromAsync(20_000, async (n) => {
      await scan('/p/Modelfile', `FROM llama3.2:1b\nTEMPLATE """\n${'text  \n'.repeat(n)}`);
    });
    expect(open).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Compose file of services, each with an unpinned image and a database port on every interface', async () => {
    const service = (i: number) =>
      `  s${i}:\n    image: postgres\n    environment:\n      PGDATA: /data/\${DIR_${i}:-d}\n    ports:\n      - "${10000 + i}:5432"\n`;
    const ratio = await growthFromAsync(400, async (n) => {
      expect(await scan('/p/compose.yaml', `services:\n${Array.from({ length: n }, (_, i) => service(i)).join('')}`)).toBe(2 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a kustomization of inline patches and images entries', async () => {
    const patch = (i: number) =>
      `  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: d${i}\n      spec:\n        template:\n          spec:\n            containers:\n              - name: c\n                image: app${i}:latest\n`;
    const ratio = await growthFromAsync(300, async (n) => {
      const images = Array.from({ length: n }, (_, i) => `  - name: app${i}\n    newTag: latest\n`).join('');
      expect(await scan('/p/kustomization.yaml', `patches:\n${Array.from({ length: n }, (_, i) => patch(i)).join('')}images:\n${images}`)).toBe(2 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a notebook cell with thousands of strings', async () => {
    // Each run's source differs: cells of the same source share their analysis.
    let run = 0;
    const ratio = await growthFromAsync(5000, async (n) => {
      const source = `password = [${Array.from({ length: n }, (_, i) => `"a${i}"`).join(', ')}]\nrun = ${run++}\n`;
      await scan('/p/n.ipynb', notebook([source]));
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a notebook of thousands of cells', async () => {
    // Each run's cells differ: cells of the same source share their analysis.
    let run = 0;
    const cell = (i: number, r: number) => `from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m${i}")\nrun = ${r}\n`;
    const ratio = await growthFromAsync(500, async (n) => {
      const r = run++;
      expect(await scan('/p/n.ipynb', notebook(Array.from({ length: n }, (_, i) => cell(i, r))))).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});

function notebook(sources: string[]): string {
  const cells = sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source: [source] }));
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}
