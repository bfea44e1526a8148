/**
 * The `data` rules on hostile notebook outputs: one line of a megabyte of digits, a hundred thousand short lines
 * (rows, log lines, colour codes) and an HTML table without end take time linear in the output, from N to 4N.
 */
import { describe, expect, it } from 'vitest';
import { type ParsedFile, parseFile, Project, type Rule } from '../../core';
import { RULES } from '../../rules';
import { growthFrom, LINEAR_GROWTH_LIMIT } from '../hostile/scaling';

const DATA_RULES = RULES.filter((r) => r.family === 'data');

/** One run of the rule's check on the file as it is (the data rules' checks are synchronous), findings dropped. */
function check(rule: Rule, file: ParsedFile, project: Project): void {
  void rule.check({ file, project, report: () => {} });
}

function notebook(outputs: object[]): string {
  return JSON.stringify({
    cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, source: 'df', outputs }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** 4N reaches a megabyte: one line of 1 MB, or 100k lines of about ten characters. */
const N = 250_000;

const TEXTS: [string, string][] = [
  ['one line of digits', '4'.repeat(4 * N)],
  ['one line of grouped digits', '4539 '.repeat((4 * N) / 5)],
  ['short lines of card numbers', '4539148803436467\n'.repeat((4 * N) / 17)],
  ['short table rows under a personal header', `   name  email\n${'0  a  b@c.de\n'.repeat((4 * N) / 13)}`],
  ['short lines of table rules', `   email  n\n${'+--+\n'.repeat((4 * N) / 5)}`],
  ['colour codes', '\x1b[0;31m4\x1b[0m '.repeat((4 * N) / 14)],
  ['lowercase IBAN-shaped words', 'de44 5001 '.repeat((4 * N) / 10)],
];

describe('data rules on hostile outputs', () => {
  for (const [name, text] of TEXTS) {
    it(`take time linear in the output: ${name}`, async () => {
      const file = await parseFile(
        'n.ipynb',
        notebook([
          { name: 'stdout', output_type: 'stream', text: '' },
          { data: { 'text/html': '', 'text/plain': '' }, metadata: {}, output_type: 'display_data' },
        ]),
      );
      const outputs = file.cells?.[0].outputs ?? [];
      expect(outputs.length).toBe(3);
      const project = new Project([file]);
      for (const rule of DATA_RULES) {
        const growth = growthFrom(N, (n) => {
          for (const output of outputs) output.text = text.slice(0, n);
          check(rule, file, project);
        });
        expect(growth, rule.id).toBeLessThan(LINEAR_GROWTH_LIMIT);
      }
    });
  }

  it('take time linear in an HTML table without end', async () => {
    const file = await parseFile('n.ipynb', notebook([{ data: { 'text/html': '' }, metadata: {}, output_type: 'display_data' }]));
    const output = file.cells?.[0].outputs[0];
    if (!output) throw new Error('no output');
    const html = `<table><tr><th>email</th></tr>${'<tr><th>0</th><td>a@b.de 4539148803436467</td></tr>'.repeat((4 * N) / 50)}`;
    const project = new Project([file]);
    for (const rule of DATA_RULES) {
      const growth = growthFrom(N, (n) => {
        output.text = html.slice(0, n);
        check(rule, file, project);
      });
      expect(growth, rule.id).toBeLessThan(LINEAR_GROWTH_LIMIT);
    }
  });
});
