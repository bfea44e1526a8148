/** network/ai-service-exposed on inputs built to be slow: its time stays linear in their size. */
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/formats';
import { analyze } from '../../core/runner';
import { Project } from '../../core/project';
import { ruleById } from '../../rules';
import type { Rule } from '../../core';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

const rule = ruleById('network/ai-service-exposed') as Rule;

async function findings(uri: string, text: string): Promise<number> {
  const file = await parseFile(uri, text);
  return (await analyze(file, { rules: [rule] })).findings.length;
}

describe('network/ai-service-exposed scales linearly', () => {
  it('LoadBalancer Services in front of vLLM Deployments', async () => {
    const deployment = (i: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    metadata:\n      labels:\n        app: v${i}\n    spec:\n      containers:\n        - name: v\n          image: vllm/vllm-openai:v0.6.3\n          args: ["--port", "8000"]\n`;
    const service = (i: number, deployments: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: LoadBalancer\n  selector:\n    app: v${i % deployments}\n  ports:\n    - port: 8000\n`;
    const ratio = await growthFromAsync(150, async (n) => {
      const deployments = n / 2;
      const docs = [...Array.from({ length: deployments }, (_, i) => deployment(i)), ...Array.from({ length: n }, (_, i) => service(i, deployments))];
      expect(await findings('/p/all.yaml', docs.join('---\n'))).toBe(deployments);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a Dockerfile of stages, each starting a server in CMD, and one long command line', async () => {
    const stage = (i: number) =>
      `FROM python:3.12-slim AS s${i}\nENV OLLAMA_HOST=127.0.0.1\nCMD jupyter lab --ServerApp.token='' --port ${5000 + (i % 1000)}\n`;
    const ratio = await growthFromAsync(150, async (n) => {
      const text = `${Array.from({ length: n }, (_, i) => stage(i)).join('')}CMD jupyter lab ${'--x=1 '.repeat(n * 20)}--NotebookApp.token=\n`;
      expect(await findings('/p/Dockerfile', text)).toBe(n + 1);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a block-scalar script whose words are not written as they read', async () => {
    const ratio = await growthFromAsync(300, async (n) => {
      const script = `${'"a\\\\b" '.repeat(n * 20)}jupyter lab --IdentityProvider.token=''`;
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: python:3.12\n      command:\n        - sh\n        - -c\n        - |\n          ${script}\n`;
      expect(await findings('/p/pod.yaml', text)).toBe(1);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('Compose services each building another stage of one long Dockerfile', async () => {
    const ratio = await growthFromAsync(150, async (n) => {
      const dockerfile = Array.from({ length: n }, (_, i) => `FROM python:3.12-slim AS s${i}\nRUN pip install mlflow\nCMD mlflow server --host 0.0.0.0\n`).join(
        '',
      );
      const compose = `services:\n${Array.from({ length: n }, (_, i) => `  m${i}:\n    build: { context: ., target: s${i} }\n    ports: ["5000:5000"]\n`).join('')}`;
      const files = [await parseFile('/p/compose.yaml', compose), await parseFile('/p/Dockerfile', dockerfile)];
      expect((await analyze(files[0], { rules: [rule], project: new Project(files) })).findings.length).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
