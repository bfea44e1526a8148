/**
 * Tables printed in notebook outputs whose columns hold personal data: pandas' HTML and text renderings, and the
 * text tables of polars, PrettyTable (`%%sql` results) and markdown. The column names say what a column is; the
 * table must have at least one data row, and its rows must show a value of the kind a personal column names (an
 * address for an e-mail column, a number for a phone or an identifier, a date for a birth date) — a schema, an
 * empty frame or counts by e-mail domain show names, not people.
 */

export interface PersonalColumns {
  /** The header cells that name personal data, with their offsets in the output text. */
  columns: { name: string; start: number; end: number }[];
  rows: number;
}

/** Column names of personal data: e-mail, phone, national identifiers, dates of birth. */
const PERSONAL =
  /^(?:e[-_ ]?mail(?:[-_ ]?addr(?:ess)?)?|(?:phone|mobile|cell|tel(?:ephone)?)(?:[-_ ]?(?:number|num|no))?|ssn|social[-_ ]?security(?:[-_ ]?(?:number|no))?|national[-_ ]?(?:id|insurance(?:[-_ ]?number)?)|nino|passport(?:[-_ ]?(?:number|no))?|(?:tax|tin)[-_ ]?id|aadhaar|date[-_ ]?of[-_ ]?birth|dob|birth[-_ ]?date)$/i;

/** Names that say personal data alone but other things after another word (`tumor_cell`, `is_mobile`). */
const ALONE_ONLY = /^(?:mobile|cell|tel)$/;

/** Words before a personal name that make the column something derived from it (`hashed_email`, `has_phone`). */
const DERIVED = new Set([
  'hash',
  'hashed',
  'masked',
  'encrypted',
  'anonymized',
  'anonymised',
  'pseudonymized',
  'pseudonymised',
  'tokenized',
  'tokenised',
  'redacted',
  'is',
  'has',
  'valid',
  'invalid',
  'n',
  'num',
  'count',
]);

/**
 * A column name of personal data: the name itself (`email`, `dateOfBirth`) or its last words after words that
 * say whose it is (`customer_email`, `contact_phone_number`), unless a word before says it is derived. Names are
 * short: like the HTML reader's header cells, a cell of more than 80 characters names nothing.
 */
function personal(name: string): boolean {
  if (name.length > 80) return false;
  const words = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_ ]+/)
    .filter(Boolean);
  if (words.length > 8) return false;
  for (let i = 0; i < words.length; i++) {
    if (DERIVED.has(words[i])) return false;
    const tail = words.slice(i).join(' ');
    if (PERSONAL.test(tail) && !(i > 0 && ALONE_ONLY.test(tail))) return true;
  }
  return false;
}

/** What a value of a personal column looks like, by what its name says. */
function valueShape(name: string): RegExp {
  const n = name.toLowerCase();
  if (n.includes('mail')) return /[^\s@<>"']@[^\s@<>"']+\.[a-z]/i;
  if (/phone|mobile|cell|tel/.test(n)) return /\d(?:[ ().-]{0,2}\d){6}/;
  if (/birth|dob/.test(n)) return /\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/;
  return /\d(?:[ -]?\d){4}/;
}

function showsValues(columns: PersonalColumns['columns'], rows: string): boolean {
  return columns.some((c) => valueShape(c.name).test(rows));
}

/** A header cell of an HTML table: `<th>` with its text (no markup inside, as pandas writes them). */
const HTML_HEADER = /<th\b[^>]{0,200}>([^<]{1,80})<\/th>/gi;
const HTML_DATA_ROW = /<tr\b[^>]{0,200}>\s*(?:<th\b[^>]{0,200}>[^<]{0,80}<\/th>\s*)?<td\b/gi;

/** An HTML table (`text/html` output): personal header cells, and the rows that hold data cells. */
export function htmlPersonalColumns(text: string): PersonalColumns | undefined {
  if (!text.includes('<th')) return undefined;
  const columns: PersonalColumns['columns'] = [];
  HTML_HEADER.lastIndex = 0;
  for (let m = HTML_HEADER.exec(text); m; m = HTML_HEADER.exec(text)) {
    if (!personal(m[1])) continue;
    const start = m.index + m[0].indexOf('>') + 1 + (m[1].length - m[1].trimStart().length);
    columns.push({ name: m[1].trim(), start, end: start + m[1].trim().length });
  }
  if (!columns.length) return undefined;
  HTML_DATA_ROW.lastIndex = 0;
  const first = HTML_DATA_ROW.exec(text);
  if (!first) return undefined;
  const rows = 1 + (text.slice(HTML_DATA_ROW.lastIndex).match(HTML_DATA_ROW)?.length ?? 0);
  return showsValues(columns, text.slice(first.index)) ? { columns, rows } : undefined;
}

/** The cells of a text table line: runs of words joined by single spaces, between wider gaps or table rules. */
const TEXT_CELL = /[^\s|│┃┆┊║](?:[^\s|│┃┆┊║]| (?=[^\s|│┃┆┊║]))*/g;
/** A line drawn only of rules (`+----+`, `|---:|`, `╞═══╪`, `│ --- ┆`): no cell of the table. */
const RULE_LINE = /^[\s\-=+:|│┃┆┊║┌┐└┘├┤┬┴┼╞╡╪═─━╭╮╯╰]*$/;

function textCells(line: string, offset: number): PersonalColumns['columns'] {
  const cells: PersonalColumns['columns'] = [];
  TEXT_CELL.lastIndex = 0;
  for (let m = TEXT_CELL.exec(line); m; m = TEXT_CELL.exec(line)) cells.push({ name: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
  return cells;
}

/**
 * A text rendering (`text/plain` or a printed stream): the header is the first line of two or more cells, or
 * the first that names personal data, after any lines of prose (`Contacts without consent:`, `shape: (3, 4)`) and
 * rules; each later line of two or more cells is a row, counted from the last double rule (`╞═══╡`, which closes
 * polars' header of names and types).
 */
export function textPersonalColumns(text: string): PersonalColumns | undefined {
  let offset = 0;
  let columns: PersonalColumns['columns'] | undefined;
  let rows = 0;
  let rowsStart = 0;
  while (offset <= text.length) {
    const lineEnd = text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset);
    const line = text.slice(offset, lineEnd);
    if (RULE_LINE.test(line)) {
      if (columns && line.includes('═')) rows = 0;
    } else if (!columns) {
      const cells = textCells(line, offset);
      const named = cells.filter((c) => personal(c.name));
      if (named.length) columns = named;
      else if (cells.length >= 2) return undefined;
      rowsStart = lineEnd;
    } else if (textCells(line, 0).length >= 2) rows++;
    offset = lineEnd + 1;
  }
  return columns && rows && showsValues(columns, text.slice(rowsStart)) ? { columns, rows } : undefined;
}
