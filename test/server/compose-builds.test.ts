/**
 * A Compose file in the editor reads the Dockerfiles its services build from (from disk, or an open one as
 * typed): a server the built image starts is exposed by the port the service publishes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, rangeOf } from './lsp-client';

const DOCKERFILE = `FROM python:3.12-slim
RUN pip install --no-cache-dir vllm==0.6.3
CMD ["python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "org/model", "--host", "0.0.0.0"]
`;
const COMPOSE = `services:
  llm:
    build: ./llm
    ports:
      - "8000:8000"
`;

describe('Compose builds in the language server', () => {
  let client: LspClient;
  let dir: string;
  const uriOf = (...parts: string[]) => pathToFileURL(path.join(dir, ...parts)).href;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-compose-'));
    mkdirSync(path.join(dir, 'llm'), { recursive: true });
    writeFileSync(path.join(dir, 'llm', 'Dockerfile'), DOCKERFILE);
    client = LspClient.inProcess({ debounceMs: 0 });
    await client.initialize(pathToFileURL(dir).href);
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports the built image's server at the service's build, with where it starts and the published port", async () => {
    const uri = uriOf('compose.yaml');
    await client.open(uri, 'dockercompose', COMPOSE);
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    expect(ds.map((d) => [d.code, d.severity])).toEqual([['network/ai-service-exposed', 1]]);
    expect(ds[0].range).toEqual(rangeOf(COMPOSE, 'build'));
    expect(ds[0].message).toBe(
      'vLLM has no API key (no --api-key) and is bound to every interface (--host=0.0.0.0) in the image built from llm/Dockerfile: anyone who reaches the port runs prompts on the GPUs and reads what the model serves',
    );
    expect(ds[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([
      [uriOf('llm', 'Dockerfile'), 2, 'the image starts vLLM here'],
      [uri, 4, 'exposed: service "llm" publishes it as "8000:8000" on every host interface'],
    ]);
    await client.close(uri);
  });

  it('reads an open Dockerfile as typed: bound to 127.0.0.1 unsaved, the service exposes nothing', async () => {
    const dockerfile = uriOf('llm', 'Dockerfile');
    await client.open(dockerfile, 'dockerfile', DOCKERFILE);
    await client.change(dockerfile, [{ range: rangeOf(DOCKERFILE, '0.0.0.0'), text: '127.0.0.1' }]);
    // Another Compose file of the folder, so no earlier publication for it can answer.
    const uri = uriOf('compose.dev.yaml');
    await client.open(uri, 'dockercompose', COMPOSE);
    expect(await client.diagnostics(uri)).toEqual([]);
    await client.close(uri);
    await client.close(dockerfile);
  });

  it('checks an open Compose file again when a Dockerfile it builds from is edited', async () => {
    const uri = uriOf('compose.prod.yaml');
    await client.open(uri, 'dockercompose', COMPOSE);
    expect((await client.diagnostics(uri, (d) => d.length > 0)).map((d) => d.code)).toEqual(['network/ai-service-exposed']);
    const dockerfile = uriOf('llm', 'Dockerfile');
    await client.open(dockerfile, 'dockerfile', DOCKERFILE);
    await client.change(dockerfile, [{ range: rangeOf(DOCKERFILE, '0.0.0.0'), text: '127.0.0.1' }]);
    expect(await client.diagnostics(uri, (d) => d.length === 0)).toEqual([]);
    await client.close(dockerfile);
    await client.close(uri);
  });
});
