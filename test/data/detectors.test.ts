/**
 * The `data` family's detectors: the checksums on published values, what the layout and test-number checks
 * keep out, and time linear in the text on hostile input (long digit runs, endless tables).
 */
import { describe, expect, it } from 'vitest';
import { findCardNumbers, luhnValid } from '../../rules/data/lib/cards';
import { findIbans, ibanValid } from '../../rules/data/lib/iban';
import { htmlPersonalColumns, textPersonalColumns } from '../../rules/data/lib/tables';
import { growthFrom, LINEAR_GROWTH_LIMIT } from '../hostile/scaling';

describe('card numbers', () => {
  it('check Luhn as the schemes define it', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('are found contiguous or in the layouts cards are printed in, with their scheme', () => {
    const text = 'a 4539148803436467 b 5273 8491 0265 4737 c 3749-152836-47102 d';
    expect(findCardNumbers(text).map((h) => [text.slice(h.start, h.end), h.scheme])).toEqual([
      ['4539148803436467', 'Visa'],
      ['5273 8491 0265 4737', 'Mastercard'],
      ['3749-152836-47102', 'American Express'],
    ]);
  });

  it('leave out test numbers, odd layouts, mixed separators, other lengths and parts of longer numbers', () => {
    for (const text of [
      '4242 4242 4242 4242',
      '4000 0000 0000 0002',
      '45391 48803 43646 7',
      '4539 1488-0343 6467',
      '45391488034364670',
      '1.4539148803436467',
      'id-4539148803436467',
      '9539148803436464',
      '4000 0000 0000 9995',
      '4000002500003155',
      '[[ 101 2023 4539 1488 0343 6467 2005  102]]',
    ]) {
      expect(findCardNumbers(text), text).toEqual([]);
    }
  });

  it('stand alone when grouped: a number after a wider gap or a word is read, four groups of a run are not', () => {
    expect(findCardNumbers('0  1043  5273 8491 0265 4737   5.00').map((h) => h.scheme)).toEqual(['Mastercard']);
    expect(findCardNumbers('ids 1043 5273 8491 0265 4737')).toEqual([]);
  });
});

describe('IBANs', () => {
  it('pass mod-97 and the country length, whole or grouped; published examples are left out', () => {
    expect(ibanValid('DE44500105175407324931')).toBe(true);
    expect(findIbans('x DE44 5001 0517 5407 3249 31 y FR3230006000019876543210189').map((h) => h.country)).toEqual(['DE', 'FR']);
    expect(findIbans('GB82 WEST 1234 5698 7654 32, DE45500105175407324931, DE4450010517540732493')).toEqual([]);
  });

  it('are read lowercase and in the registry countries added last; mixed case and registry examples are not', () => {
    expect(findIbans("['de44500105175407324931']").map((h) => h.country)).toEqual(['DE']);
    expect(findIbans('RU7352601815908301661318609139099 LY88603082462819482199351').map((h) => h.country)).toEqual(['RU', 'LY']);
    expect(findIbans('De44500105175407324931 BE68539007547034 NO9386011117947 RU0204452560040702810412345678901')).toEqual([]);
  });
});

describe('personal-data tables', () => {
  it('need rows: a header alone names columns, not people', () => {
    expect(textPersonalColumns('   name  email\n0  A     a@example.org\n')?.columns.map((c) => c.name)).toEqual(['email']);
    expect(textPersonalColumns('Empty DataFrame\nColumns: [email]\nIndex: []')).toBeUndefined();
    expect(htmlPersonalColumns('<table><thead><tr><th>email</th></tr></thead><tbody></tbody></table>')).toBeUndefined();
  });

  it('name personal data with a prefix or in camelCase, but not when a word says the value is derived', () => {
    const names = (header: string, row: string) => textPersonalColumns(`${header}\n${row}\n`)?.columns.map((c) => c.name);
    expect(names('   contact_email  dateOfBirth', '0  a@example.org  1990-01-02')).toEqual(['contact_email', 'dateOfBirth']);
    expect(names('   hashed_email  email_verified  tumor_cell', '0  3f2a  True  CD8+')).toBeUndefined();
  });

  it('find the header after prose lines, inside table rules, and need a value of the kind a column names', () => {
    expect(textPersonalColumns('Sample:\n   name  email\n0  Ana  a@example.org\n')?.rows).toBe(1);
    expect(textPersonalColumns('+------+\n| email | n |\n+------+\n| a@example.org | 1 |\n+------+\n')?.rows).toBe(1);
    expect(textPersonalColumns('shape: (1, 2)\n│ id ┆ phone │\n│ --- ┆ --- │\n│ i64 ┆ str │\n╞═════╪═════╡\n│ 1 ┆ +1 415 555 0134 │\n')?.rows).toBe(1);
    expect(textPersonalColumns('email\ngmail.com      412\nyahoo.com      133\nName: count, dtype: int64')).toBeUndefined();
    expect(textPersonalColumns(' #   Column  Dtype\n 0   email   object\n 1   phone   object\n')).toBeUndefined();
  });
});

describe('time linear in the text', () => {
  it('for a digit run without end, spaced digits and a table of many columns', () => {
    const cases: ((n: number) => void)[] = [
      (n) => findCardNumbers('4'.repeat(n)),
      (n) => findCardNumbers('4 '.repeat(n)),
      (n) => findIbans(`DE${'4'.repeat(n)}`),
      (n) => findIbans('DE44 '.repeat(n)),
      (n) => textPersonalColumns(`${'email  '.repeat(n)}\n0  x\n`),
      (n) => htmlPersonalColumns(`${'<th>email</th><tr><th>0</th>'.repeat(n)}<td>x</td>`),
    ];
    for (const run of cases) expect(growthFrom(20_000, run)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
