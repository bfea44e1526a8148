import { describe, expect, it } from 'vitest';
import { detectFormat, parseFile } from '../../core/formats';
import type { ExprNode, MapNode, ParsedFile } from '../../core/model';

const WORKFLOW = '/repo/.github/workflows/ci.yml';

function scripts(file: ParsedFile): string[] {
  return (file.shellScripts ?? []).map((s) => file.text.slice(s.start, s.end));
}

describe('github-actions format', () => {
  it('detects workflows by path, actions by their runs.using, and workflows elsewhere by their schema modeline', () => {
    expect(detectFormat(WORKFLOW, 'on: push\n')).toBe('github-actions');
    expect(detectFormat('/repo/.github/workflows/release.yaml', '')).toBe('github-actions');
    expect(detectFormat('/repo/action.yml', 'name: a\nruns:\n  using: composite\n  steps: []\n')).toBe('github-actions');
    expect(detectFormat('/repo/tools/action.yaml', 'runs:\n  using: "node20"\n  main: index.js\n')).toBe('github-actions');
    expect(detectFormat('/t/ci.yml', '# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\non: push\n')).toBe('github-actions');
    // A sub-folder of workflows is not read by GitHub; a workflow-shaped file elsewhere stays text.
    expect(detectFormat('/repo/.github/workflows/old/ci.yml', 'on: push\njobs: {}\n')).toBe('text');
    expect(detectFormat('/repo/ci/build.yml', 'on: push\njobs:\n  b:\n    runs-on: x\n')).toBe('text');
    expect(detectFormat('/repo/action.yml', 'name: not an action\n')).toBe('text');
    expect(detectFormat('/repo/.github/workflows/ci.json', '{}')).toBe('text');
  });

  it('models one resource per job, and an action as one resource', async () => {
    const wf = await parseFile(WORKFLOW, 'on: push\njobs:\n  test:\n    runs-on: x\n  call:\n    uses: o/r/.github/workflows/w.yml@v1\n');
    expect(wf.problems).toEqual([]);
    expect(wf.resources.map((r) => [r.kind, r.type, r.name])).toEqual([
      ['job', 'job', 'test'],
      ['job', 'reusable-workflow', 'call'],
    ]);
    const action = await parseFile('/a/action.yml', 'name: setup\nruns:\n  using: composite\n  steps: []\n');
    expect(action.resources.map((r) => [r.kind, r.type, r.name, action.text.slice(r.nameSpan.start, r.nameSpan.end)])).toEqual([
      ['action', 'composite', 'setup', 'runs'],
    ]);
  });

  it('reads ${{ }} values as references with the contexts they read, and keeps literals literal', async () => {
    const text = 'on: push\nenv:\n  A: ${{ secrets.TOKEN }}\n  B: "x-${{ vars.NAME }}-y"\n  C: plain\njobs: {}\n';
    const file = await parseFile(WORKFLOW, text);
    const env = (file.roots[0] as MapNode).entries[1].value as MapNode;
    const [a, b, c] = env.entries.map((e) => e.value);
    expect(a.kind).toBe('expr');
    expect((a as ExprNode).refs).toEqual(['secrets.TOKEN']);
    expect(b.kind).toBe('expr');
    expect((b as ExprNode).literalParts).toEqual(['x-', '-y']);
    expect(text.slice(b.span.start, b.span.end)).toBe('"x-${{ vars.NAME }}-y"');
    expect(c).toMatchObject({ kind: 'scalar', value: 'plain' });
  });

  it('gives the spans of run: scripts whose source is the script, offset for offset', async () => {
    const text = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: pip install torch',
      '      - run: |',
      '          pip install -U transformers',
      '          echo "${{ github.sha }}"',
      '      - run: |-',
      '          huggingface-cli download org/model',
      '      - run: "curl -LO https://example.com/model.bin"',
      "      - run: 'echo it''s'",
      '      - run: "printf \\"x\\""',
      '      - run: >',
      '          folded',
      '          lines',
      '      - run: plain',
      '          over two lines',
      '      - run: Get-ChildItem',
      '        shell: pwsh',
      '      - run: print(1)',
      '        shell: python',
      '      - run: set -e',
      '        shell: bash -e {0}',
      '',
    ].join('\n');
    const file = await parseFile(WORKFLOW, text);
    expect(scripts(file)).toEqual([
      'pip install torch',
      'pip install -U transformers\n          echo "${{ github.sha }}"',
      'huggingface-cli download org/model',
      'curl -LO https://example.com/model.bin',
      'set -e',
    ]);
  });

  it('follows the default shell of the job and of the workflow, and reads a composite action’s steps', async () => {
    const wf = await parseFile(
      WORKFLOW,
      'on: push\ndefaults:\n  run:\n    shell: pwsh\njobs:\n  a:\n    steps:\n      - run: dir\n  b:\n    defaults:\n      run:\n        shell: bash\n    steps:\n      - run: ls\n',
    );
    expect(scripts(wf)).toEqual(['ls']);
    const action = await parseFile('/a/action.yml', 'runs:\n  using: composite\n  steps:\n    - run: pip install x\n      shell: bash\n');
    expect(scripts(action)).toEqual(['pip install x']);
  });

  it('gives a half-typed workflow a problem and what it could read, never a throw', async () => {
    const file = await parseFile(WORKFLOW, 'on: push\njobs:\n  a:\n    steps:\n      - run: "unclosed\n      - uses: [\n');
    expect(file.problems.length).toBeGreaterThan(0);
    expect(file.format).toBe('github-actions');
  });
});
