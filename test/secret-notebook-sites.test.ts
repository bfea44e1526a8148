/**
 * Notebook sites outside Python code (`rules/secret/lib/notebook-sites.ts`): what is read from a cell's outputs,
 * `%env` lines and `%%writefile` bodies, and time linear in the text on hostile outputs and bodies.
 */
import { describe, expect, it } from 'vitest';
import { parseFile, type ParsedFile } from '../core';
import { magicSites, outputSites } from '../rules/secret/lib/notebook-sites';
import { Collector } from '../rules/secret/lib/sites';
import { growthFrom, LINEAR_GROWTH_LIMIT } from './hostile/scaling';

function notebook(cells: { source: string; output?: string }[]): string {
  return JSON.stringify({
    cells: cells.map((c) => ({
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: c.source,
      outputs: c.output === undefined ? [] : [{ name: 'stdout', output_type: 'stream', text: c.output }],
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function sitesOf(file: ParsedFile, read: (file: ParsedFile, out: Collector) => void): [string, string][] {
  const out = new Collector();
  read(file, out);
  return out.sites.map((s) => [s.key, s.value]);
}

describe('notebook output sites', () => {
  it('are read from KEY=value lines, reprs spread over lines, and printed credential files', async () => {
    const file = await parseFile(
      'n.ipynb',
      notebook([
        { source: '!env', output: 'HOME=/root\nexport DB_PASSWORD=Wq7!rT4zKp2x\n' },
        { source: 'os.environ', output: "environ({'HOME': '/root',\n         'JUPYTER_TOKEN': 'c2f9e7d1b3a84c6f'})" },
        { source: '!cat kaggle.json', output: '{"username":"jdoe","key":"7d1c9e3a5b2f4068"}' },
      ]),
    );
    expect(sitesOf(file, outputSites)).toEqual([
      ['DB_PASSWORD', 'Wq7!rT4zKp2x'],
      ['JUPYTER_TOKEN', 'c2f9e7d1b3a84c6f'],
      ['key', '7d1c9e3a5b2f4068'],
    ]);
  });

  it('read `key` as a secret only next to a user name on its line', async () => {
    const file = await parseFile('n.ipynb', notebook([{ source: 'x', output: '{"username": "jdoe"}\n{"key": "7d1c9e3a5b2f4068"}\n' }]));
    expect(sitesOf(file, outputSites)).toEqual([]);
  });

  it('take time linear in the output on unclosed quotes, long keys and many pairs', async () => {
    const cases = [
      "'password': '".repeat(20_000),
      `${'k'.repeat(127)}='`.repeat(5_000),
      "{'api_key': 'k3Y-9z-zz', 'user': 'u'}\n".repeat(5_000),
      `machine h login u password ${'p '.repeat(20_000)}`,
    ];
    for (const text of cases) {
      const file = await parseFile('n.ipynb', notebook([{ source: 'x', output: text }]));
      const output = file.cells?.[0].outputs[0];
      if (!output) throw new Error('no output');
      expect(
        growthFrom(2_000, (n) => {
          output.text = text.slice(0, n * 4);
          outputSites(file, new Collector());
        }),
        text.slice(0, 40),
      ).toBeLessThan(LINEAR_GROWTH_LIMIT);
    }
  });
});

describe('notebook magic sites', () => {
  it('read %env values (quotes dropped, references left to the placeholder filter) and %%writefile bodies by the file written', async () => {
    const file = await parseFile(
      'n.ipynb',
      notebook([
        { source: '%env DB_PASSWORD=Pg!Qx82-tLm4\n%env SMTP_PASSWORD "m4il-Pa55"\n%env API_KEY\n%env' },
        { source: '%%writefile -a "creds/kaggle.json"\n{"username": "jdoe", "key": "7d1c9e3a"}' },
        { source: '%%writefile ~/.netrc\nmachine h\n  login u\n  password "p4ss w0rd"' },
        { source: '%%writefile notes.md\npassword: hunter2' },
        { source: '%%writefile app.js\nconst password = getPassword();\nconst token = "t0k3n-v4lue";' },
        { source: '%%writefile broken.json\n{"password": "Qz8rT4pK", ' },
      ]),
    );
    expect(sitesOf(file, magicSites)).toEqual([
      ['DB_PASSWORD', 'Pg!Qx82-tLm4'],
      ['SMTP_PASSWORD', 'm4il-Pa55'],
      ['key', '7d1c9e3a'],
      ['password', 'p4ss w0rd'],
      ['token', 't0k3n-v4lue'],
      ['password', 'Qz8rT4pK'],
    ]);
  });
});
