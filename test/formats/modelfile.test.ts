import { describe, expect, it } from 'vitest';
import { get, isScalar, parseFile, str } from '../../core';
import { scan } from '../suppress/helpers';

const MODELFILE = [
  '\ufeff# A runbook assistant',
  'FROM llama3.1:8b-instruct-q4_K_M',
  'from ./adapters/base.gguf',
  'PARAMETER temperature 0.2',
  'PARAMETER stop "<|eot_id|>"',
  'TEMPLATE """{{ if .System }}<|start_header_id|>system',
  '# not a comment: template text',
  '{{ .System }}<|eot_id|>{{ end }}"""',
  'SYSTEM You answer # with the hash kept',
  'MESSAGE user "Is the rota',
  'online?"',
  'ADAPTER ./lora',
  '',
].join('\n');

const values = (text: string) =>
  parseFile('/m/Modelfile', text).then((file) =>
    file.resources.map((r) => [r.type, r.name, ...r.body.entries.map((e) => `${e.key}=${isScalar(e.value) ? e.value.value : ''}`)]),
  );

describe('Modelfile format', () => {
  it('reads instructions as resources, with quoted values over lines and `#` inside values kept as text', async () => {
    const file = await parseFile('/m/Modelfile', MODELFILE);
    expect(file.format).toBe('modelfile');
    expect(file.problems).toEqual([]);
    expect(await values(MODELFILE)).toEqual([
      ['FROM', '', 'model=llama3.1:8b-instruct-q4_K_M'],
      ['FROM', '', 'model=./adapters/base.gguf'],
      ['PARAMETER', 'temperature', 'temperature=0.2'],
      ['PARAMETER', 'stop', 'stop=<|eot_id|>'],
      ['TEMPLATE', '', 'template={{ if .System }}<|start_header_id|>system\n# not a comment: template text\n{{ .System }}<|eot_id|>{{ end }}'],
      ['SYSTEM', '', 'system=You answer # with the hash kept'],
      ['MESSAGE', 'user', 'role=user', 'content=Is the rota\nonline?'],
      ['ADAPTER', '', 'adapter=./lora'],
    ]);
    expect(file.comments.map((c) => c.text)).toEqual([' A runbook assistant']);
    const stop = get(file.resources[3].body, 'stop')!;
    expect(file.text.slice(stop.span.start, stop.span.end)).toBe('"<|eot_id|>"');
    const from = get(file.resources[0].body, 'model')!;
    expect(file.text.slice(from.span.start, from.span.end)).toBe(str(from));
  });

  it('keeps offsets with CRLF line ends', async () => {
    const file = await parseFile('/m/Modelfile', 'FROM llama3.2\r\nSYSTEM """a\r\nb"""\r\n');
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => file.text.slice(r.span.start, r.span.end))).toEqual(['FROM llama3.2', 'SYSTEM """a\r\nb"""']);
  });

  it('reports what Ollama rejects as problems that quote no text, and never throws', async () => {
    const problems = async (text: string) => (await parseFile('/m/Modelfile', text)).problems.map((p) => p.message);
    expect(await problems('FROM llama3.2\nRUN echo\n')).toEqual(['unknown Modelfile instruction']);
    expect(await problems('PARAMETER temperature 1\n')).toEqual(['the Modelfile has no FROM instruction: it names no model']);
    expect(await problems('FROM llama3.2\nSYSTEM """never closed\n# more\n')).toEqual(['a quoted value is never closed']);
    expect(await problems('FROM llama3.2\nMESSAGE robot hi\n')).toEqual(['MESSAGE needs a role: system, user or assistant']);
    expect(await problems('FROM\n')).toEqual(['FROM has no value']);
    for (const text of ['', '"""', 'FROM "', 'PARAMETER', '\u0000\u0001\u0002', 'FROM a\n\r\r\n"""x', '#', 'F\u00d6O bar', 'MESSAGE']) {
      const file = await parseFile('/m/Modelfile', text);
      expect(file.format).toBe('modelfile');
      for (const p of file.problems) expect(p.span.end).toBeLessThanOrEqual(text.length);
    }
  });

  it('takes `# airlock:ignore` on the line above an instruction (a `#` after an instruction is part of its value)', async () => {
    const id = ['pin/model-mutable-alias'];
    expect((await scan('/m/Modelfile', '# airlock:ignore pin/model-mutable-alias -- tracks latest\nFROM llama3.2\nFROM mistral\n', id)).lines).toEqual([3]);
  });

  it('a comment above an instruction covers its whole quoted value', async () => {
    const token = 'r8_Tq7mWx2LzK9vRp4NbY6Hd3Jc8Fs1Ge5Ku0Ao3';
    const system = `FROM llama3.1:8b\nSYSTEM """\nCall the API with ${token}.\n"""\n`;
    expect((await scan('/m/Modelfile', system, ['secret/known-token'])).lines).toEqual([3]);
    const ignored = system.replace('SYSTEM', '# airlock:ignore secret/known-token -- a revoked key kept as an example\nSYSTEM');
    expect((await scan('/m/Modelfile', ignored, ['secret/known-token'])).lines).toEqual([]);
  });
});
