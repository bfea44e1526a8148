import { describe, expect, it } from 'vitest';
import { isExpr, isList, isScalar, parseFile } from '../../core';
import { execCommands, shellCommands } from '../../rules/lib/shell';
import { scan } from '../suppress/helpers';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=python:3.12',
  'FROM --platform=linux/amd64 ${BASE} AS build',
  'ENV A=1 B="two words" \\',
  '    C=${A}/bin',
  'ARG TOKEN',
  'RUN pip install \\',
  '      transformers \\',
  '    # a comment Docker drops',
  '    && echo done',
  'RUN ["pip", "install", "x"]',
  'RUN <<EOF',
  'pip install y',
  'EOF',
  'COPY --from=build /a /b',
  '',
].join('\n');

describe('Dockerfile format', () => {
  it('reads instructions as resources: FROM image, stage and flags, ARG and ENV entries, COPY --from', async () => {
    const file = await parseFile('/d/Dockerfile', DOCKERFILE);
    expect(file.format).toBe('dockerfile');
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => r.type)).toEqual(['ARG', 'FROM', 'ENV', 'ARG', 'RUN', 'RUN', 'RUN', 'COPY']);
    const from = file.resources[1];
    expect(from.name).toBe('build');
    expect(from.body.entries.map((e) => e.key)).toEqual(['platform', 'image', 'as']);
    const image = from.body.entries[1].value;
    expect(isExpr(image) && image.refs).toEqual(['BASE']);
    const env = file.resources[2].body.entries;
    expect(env.map((e) => [e.key, isScalar(e.value) ? e.value.value : isExpr(e.value) ? e.value.text : '']).slice(0, 3)).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '${A}/bin'],
    ]);
    const b = env[1].value;
    expect(file.text.slice(b.span.start, b.span.end)).toBe('"two words"');
    expect(isScalar(file.resources[3].body.entries[0].value) && file.resources[3].body.entries[0].value.value).toBeNull();
    const exec = file.resources[5].body.entries.find((e) => e.key === 'exec')?.value;
    expect(isList(exec) && exec.items.map((i) => (isScalar(i) ? i.value : ''))).toEqual(['pip', 'install', 'x']);
    expect(isScalar(file.resources[7].body.entries[0].value) && file.resources[7].body.entries[0].value.value).toBe('build');
  });

  it('holds the shell form and heredoc bodies of RUN as shell scripts, not the exec form', async () => {
    const file = await parseFile('/d/Dockerfile', DOCKERFILE);
    expect((file.shellScripts ?? []).map((s) => file.text.slice(s.start, s.end))).toEqual([
      'pip install \\\n      transformers \\\n    # a comment Docker drops\n    && echo done',
      'pip install y',
    ]);
  });

  it('reads ONBUILD RUN and ENV triggers as RUN and ENV instructions, other triggers not', async () => {
    const file = await parseFile('/d/Dockerfile', 'FROM python:3.12\nONBUILD COPY . /app\nONBUILD RUN pip install flask\nONBUILD ENV MODE=prod\n');
    expect(file.resources.map((r) => r.type)).toEqual(['FROM', 'ONBUILD', 'ONBUILD', 'RUN', 'ONBUILD', 'ENV']);
    expect((file.shellScripts ?? []).map((s) => file.text.slice(s.start, s.end))).toEqual(['pip install flask']);
    expect(file.resources[5].body.entries.map((e) => e.key)).toEqual(['MODE']);
  });

  it('holds what CMD and ENTRYPOINT run: the shell form as a shell script, the exec form as a list', async () => {
    const text = 'FROM vllm/vllm-openai:v0.6.3\nENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]\nCMD vllm serve org/model --port 8000\n';
    const file = await parseFile('/d/Dockerfile', text);
    expect((file.shellScripts ?? []).map((s) => file.text.slice(s.start, s.end))).toEqual(['vllm serve org/model --port 8000']);
    const exec = file.resources[1].body.entries.find((e) => e.key === 'exec')?.value;
    expect(isList(exec) && exec.items.map((i) => (isScalar(i) ? i.value : ''))).toEqual(['python3', '-m', 'vllm.entrypoints.openai.api_server']);
    expect(file.resources[2].body.entries).toEqual([]);
  });

  it('holds the shell form of HEALTHCHECK CMD as a shell script, not the exec form or NONE', async () => {
    const text = [
      'FROM postgres:16.3',
      'HEALTHCHECK --interval=10s \\',
      '  CMD pg_isready -U postgres || exit 1',
      'HEALTHCHECK CMD ["pg_isready", \\',
      '  "-U", "postgres"]',
      'HEALTHCHECK NONE',
      '',
    ].join('\n');
    const file = await parseFile('/d/Dockerfile', text);
    expect((file.shellScripts ?? []).map((s) => file.text.slice(s.start, s.end))).toEqual(['pg_isready -U postgres || exit 1']);
    const exec = file.resources[2].body.entries.find((e) => e.key === 'exec')?.value;
    expect(isList(exec) && exec.items.map((i) => (isScalar(i) ? i.value : ''))).toEqual(['pg_isready', '-U', 'postgres']);
    expect(isList(exec) && exec.items.map((i) => file.text.slice(i.span.start, i.span.end))).toEqual(['"pg_isready"', '"-U"', '"postgres"']);
  });

  it('keeps the blanks and escapes inside the strings of an exec form', async () => {
    const text =
      'FROM python:3.12\nRUN ["sh", "-c", "pip install x && echo \\"done\\""]\nHEALTHCHECK CMD ["sh", "-c", "curl -f http://localhost/ || exit 1"]\n';
    const file = await parseFile('/d/Dockerfile', text);
    const items = (k: number) => {
      const exec = file.resources[k].body.entries.find((e) => e.key === 'exec')?.value;
      return isList(exec) ? exec.items.map((i) => (isScalar(i) ? i.value : '')) : [];
    };
    expect(items(1)).toEqual(['sh', '-c', 'pip install x && echo "done"']);
    expect(items(2)).toEqual(['sh', '-c', 'curl -f http://localhost/ || exit 1']);
  });

  it("reads a RUN mount's from= option as the RUN's from, like COPY --from", async () => {
    const text = 'FROM alpine:3.20\nRUN --mount=type=cache,target=/c --mount=type=bind,from=hashicorp/terraform,target=/t ls\n';
    const file = await parseFile('/d/Dockerfile', text);
    const from = file.resources[1].body.entries.filter((e) => e.key === 'from').map((e) => e.value);
    expect(from.map((v) => (isScalar(v) ? v.value : ''))).toEqual(['hashicorp/terraform']);
    expect(from.map((v) => file.text.slice(v.span.start, v.span.end))).toEqual(['hashicorp/terraform']);
  });

  it('keeps comments, those inside a continued instruction too', async () => {
    const file = await parseFile('/d/Dockerfile', DOCKERFILE);
    expect(file.comments.map((c) => c.text)).toEqual([' a comment Docker drops']);
  });

  it('reports unknown instructions and a file without FROM as problems, never throws', async () => {
    expect((await parseFile('/d/Dockerfile', 'FROM alpine:3.20\nRUNN echo\n')).problems.map((p) => p.message)).toEqual(['unknown Dockerfile instruction']);
    expect((await parseFile('/d/Dockerfile', 'RUN echo\n')).problems.map((p) => p.message)).toEqual([
      'the Dockerfile has no FROM instruction: it builds no image',
    ]);
    for (const text of ['', '\\', 'FROM', 'RUN <<EOF\n', 'ENV =', '\u0000\u0001', 'FROM a AS', 'ARG ${', 'RUN ["pip", ']) {
      const file = await parseFile('/d/Dockerfile', text);
      expect(file.format).toBe('dockerfile');
      expect(file.problems.every((p) => !p.message.includes('cannot parse'))).toBe(true);
    }
  });

  it('does not parse a word the parser would take too long over, and says so', async () => {
    const file = await parseFile('/d/Dockerfile', `FROM alpine:3.20\nRUN echo ${'x'.repeat(70_000)}\n`);
    expect(file.resources).toEqual([]);
    expect(file.problems.map((p) => p.message)).toEqual(['not fully analysed: a word longer than 65536 characters']);
  });
});

describe('shell words of Dockerfile RUN commands', () => {
  const values = (text: string) => shellCommands(text).map((c) => c.map((w) => w.value));
  it('joins continued lines, drops comment lines inside them, and splits commands at line breaks', () => {
    expect(values('pip install \\\n  # why\n  numpy && echo hi')).toEqual([
      ['pip', 'install', 'numpy'],
      ['echo', 'hi'],
    ]);
    expect(values('pip install a # trailing\npip install b')).toEqual([
      ['pip', 'install', 'a'],
      ['pip', 'install', 'b'],
    ]);
    expect(values('pip install \\\r\n  numpy')).toEqual([['pip', 'install', 'numpy']]);
  });

  it('adds the commands of a script handed to a shell with -c, at their offsets, when it is written as it reads', () => {
    const text = `sh -c "pip install a && echo b" ; bash -lc 'pip install c' ; exec /bin/sh -euxc "pip install"' e'`;
    const commands = shellCommands(text);
    expect(commands.map((c) => c.map((w) => w.value))).toEqual([
      ['sh', '-c', 'pip install a && echo b'],
      ['pip', 'install', 'a'],
      ['echo', 'b'],
      ['bash', '-lc', 'pip install c'],
      ['pip', 'install', 'c'],
      // Quoted in two parts: not the text the shell gets, offset for offset.
      ['exec', '/bin/sh', '-euxc', 'pip install e'],
    ]);
    // Every word of a script is where the text shows it.
    for (const k of [1, 2, 4]) for (const w of commands[k]) expect(text.slice(w.start, w.end)).toBe(w.value);
    expect(values('sh ./install.sh -c x')).toEqual([['sh', './install.sh', '-c', 'x']]);
    expect(values(`docker run --rm python:3.12 sh -c 'pip install e' ; /usr/bin/env bash -c "pip install f"`)).toEqual([
      ['docker', 'run', '--rm', 'python:3.12', 'sh', '-c', 'pip install e'],
      ['pip', 'install', 'e'],
      ['/usr/bin/env', 'bash', '-c', 'pip install f'],
      ['pip', 'install', 'f'],
    ]);
    expect(values(`sh -c 'sh -c "pip install d"'`)).toEqual([
      ['sh', '-c', 'sh -c "pip install d"'],
      ['sh', '-c', 'pip install d'],
      ['pip', 'install', 'd'],
    ]);
  });

  it('reads the exec forms of RUN, CMD, ENTRYPOINT and HEALTHCHECK, and the scripts they hand a shell', async () => {
    const text = [
      'FROM mysql:8.4',
      'RUN ["sh", "-c", "pip install a"]',
      'HEALTHCHECK CMD ["mysqladmin", "ping", "-pX"]',
      'ENTRYPOINT ["java", "-jar", "app.jar"]',
      'CMD ["--port", "3306"]',
      '',
    ].join('\n');
    const file = await parseFile('/d/Dockerfile', text);
    expect(execCommands(file).map((c) => c.map((w) => w.value))).toEqual([
      ['sh', '-c', 'pip install a'],
      ['pip', 'install', 'a'],
      ['mysqladmin', 'ping', '-pX'],
      ['java', '-jar', 'app.jar'],
      ['--port', '3306'],
    ]);
  });
});

describe('suppressions in Dockerfiles', () => {
  const PIP = ['pin/pip-unpinned'];
  it('an airlock:ignore comment on the line above, also between the continued lines of a RUN', async () => {
    const above = 'FROM python:3.12\n# airlock:ignore pin/pip-unpinned -- tested nightly\nRUN pip install numpy\nRUN pip install pandas\n';
    expect((await scan('/d/Dockerfile', above, PIP)).lines).toEqual([4]);
    const inside = 'FROM python:3.12\nRUN apt-get update \\\n  # airlock:ignore pin/pip-unpinned -- tested nightly\n  && pip install numpy\n';
    expect((await scan('/d/Dockerfile', inside, PIP)).lines).toEqual([]);
    const heredoc = 'FROM python:3.12\nRUN <<EOF\n# airlock:ignore pin/pip-unpinned -- tested nightly\npip install trl\npip install numpy\nEOF\n';
    expect((await scan('/d/Dockerfile', heredoc, PIP)).lines).toEqual([5]);
  });

  it('checkov:skip anywhere covers the whole file; kics-scan ignore-line the next line', async () => {
    const images = ['pin/image-unpinned'];
    const checkov = 'FROM alpine\n# checkov:skip=CKV_DOCKER_7:base image tracked by renovate\nFROM ubuntu\n';
    expect((await scan('/d/Dockerfile', checkov, images)).lines).toEqual([]);
    const kics = 'FROM alpine\n# kics-scan ignore-line\nFROM ubuntu\n';
    expect((await scan('/d/Dockerfile', kics, images)).lines).toEqual([1]);
  });
});
