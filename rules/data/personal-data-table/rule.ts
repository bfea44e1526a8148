import { defineRule } from '../../../core';
import { clearOutputsFix } from '../../lib/fixes';
import { cellOutputs } from '../../lib/notebook-outputs';
import { htmlPersonalColumns, textPersonalColumns } from '../lib/tables';

export default defineRule({
  id: 'data/personal-data-table',
  family: 'data',
  severity: 'warning',
  formats: ['notebook'],
  fixes: { 'clear-outputs': 'safe' },
  docs: {
    summary:
      "A table in a notebook cell's output (pandas' HTML or text rendering) with rows and columns named for personal data: e-mail, phone, national identifiers (SSN, national insurance, passport, tax id), date of birth.",
    reads:
      'Tables as pandas prints them (HTML, read first, and text), `%%sql` results (HTML and PrettyTable text), polars frames (HTML and box-drawing text) and markdown tables (`to_markdown()`), also printed after lines of prose. A column names personal data by its name or its last words (`email`, `Email Address`, `emailAddress`, `customer_email`, `contact_phone_number`, `date_of_birth`, `dob`, `ssn`, `passport_no`, `tax_id`, `nino`, `aadhaar`); `mobile`, `cell` and `tel` only alone, and not after a word that says the value is derived (`hashed_email`, `masked_phone`, `is_email`, `n_phone`). The table must have rows, and its rows must show a value of the kind a personal column names: an address for an e-mail column, seven digits for a phone, a date for a birth date, five digits for an identifier. Not reported: schemas and empty frames, `dtypes` and `info()`, counts by e-mail domain, data dictionaries whose values name personal columns.',
    why: 'Exploring a customer table prints its first rows, and the notebook keeps them: committed, they are personal data in git history, outside the access controls and retention of the database they came from. A warning: the column names say what the data is, the rows say it is there, but only a person can tell real customers from synthetic ones.',
    fix: "Clear the cell's outputs before committing; drop or mask personal columns before displaying (`df.drop(columns=['email'])`), or display synthetic data.",
    fixes: { 'clear-outputs': 'Clears the outputs of the cell that printed the table.' },
    examples: {
      format: 'notebook',
      bad: 'customers.head()  # a table with email and phone columns',
      good: "customers.drop(columns=['email', 'phone']).head()",
    },
  },
  check({ file, report }) {
    for (const { cell, output, span } of cellOutputs(file, 'text/html')) {
      const table = output.mime === 'text/html' ? htmlPersonalColumns(output.text) : textPersonalColumns(output.text);
      if (!table) continue;
      const first = table.columns[0];
      const names = table.columns.map((c) => `"${c.name}"`).join(', ');
      const rows = table.rows === 1 ? '1 row' : `${table.rows} rows`;
      report({
        span: span(first.start, first.end),
        message: `A table of ${rows} with personal-data columns (${names}) in a cell output`,
        fixes: [clearOutputsFix(cell.index)],
      });
    }
  },
});
