/**
 * Tables printed in notebook outputs (pandas' HTML and text renderings) whose columns hold personal data: the
 * column names say what a column is, and the table must have at least one data row — a schema or an empty
 * frame shows names, not people.
 */

export interface PersonalColumns {
  /** The header cells that name personal data, with their offsets in the output text. */
  columns: { name: string; start: number; end: number }[];
  rows: number;
}

/** Column names of personal data: e-mail, phone, national identifiers, dates of birth. */
const PERSONAL =
  /^(?:e[-_ ]?mail(?:[-_ ]?addr(?:ess)?)?|(?:phone|mobile|cell|tel(?:ephone)?)(?:[-_ ]?(?:number|num|no))?|ssn|social[-_ ]?security(?:[-_ ]?(?:number|no))?|national[-_ ]?(?:id|insurance(?:[-_ ]?number)?)|nino|passport(?:[-_ ]?(?:number|no))?|(?:tax|tin)[-_ ]?id|aadhaar|date[-_ ]?of[-_ ]?birth|dob|birth[-_ ]?date)$/i;

/** A header cell of an HTML table: `<th>` with its text (no markup inside, as pandas writes them). */
const HTML_HEADER = /<th\b[^>]{0,200}>([^<]{1,80})<\/th>/gi;
const HTML_DATA_ROW = /<tr\b[^>]{0,200}>\s*(?:<th\b[^>]{0,200}>[^<]{0,80}<\/th>\s*)?<td\b/gi;

function personal(name: string): boolean {
  return PERSONAL.test(name.trim());
}

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
  const rows = text.match(HTML_DATA_ROW)?.length ?? 0;
  return rows ? { columns, rows } : undefined;
}

/**
 * A text rendering (`text/plain`, pandas' `DataFrame` repr): the first line is the header, whose names are
 * separated by two or more spaces; each later line that starts with an index is a row.
 */
export function textPersonalColumns(text: string): PersonalColumns | undefined {
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0) return undefined;
  const header = text.slice(0, firstBreak);
  const columns: PersonalColumns['columns'] = [];
  const name = /\S+(?: \S+)*/g;
  for (let m = name.exec(header); m; m = name.exec(header)) {
    if (personal(m[0])) columns.push({ name: m[0], start: m.index, end: m.index + m[0].length });
  }
  if (!columns.length) return undefined;
  const rows = text
    .slice(firstBreak + 1)
    .split('\n')
    .filter((l) => /^\S+\s{2,}\S/.test(l)).length;
  return rows ? { columns, rows } : undefined;
}
