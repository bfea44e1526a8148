import { contentSpan, isExpr, isList, isScalar, type Node, type Resource, type ScalarNode } from '../../../core';
import { commandsIn } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites } from './command-sites';
import { isSecretKey } from './keys';
import { lineAssignments } from './lines';
import { Collector } from './sites';

/** A `"key": "value"` pair of a JSON document, the value a string without escapes. */
const JSON_PAIR = /"([A-Za-z_][\w.-]{0,127})"[ \t]*:[ \t]*"([^"\\\r\n]{0,512})"/g;

/** What a piece that is not a literal (a `Ref`, a `Fn::GetAtt`) stands for in the joined text. */
const HOLE = '${ref}';

interface Piece {
  /** Offsets of the piece in the joined text. */
  start: number;
  end: number;
  /** The literal, when the piece is one. */
  literal?: ScalarNode;
}

/**
 * `KEY=value` lines and command-line credentials of a script or file that CloudFormation `Fn::Join` assembles from
 * pieces, where a line or a command runs across pieces (`"export DB_PASSWORD='", "Zx81Qm4L", "'\n"`,
 * `"broker_password = ", "Zx81Qm4L", "\n"`, `"docker login -u ci -p ", "Zx81Qm4L", " registry\n"`) and the string values
 * of a JSON document it joins (`'{"password":"', "Zx81Qm4L", '"}'`): the user data
 * and `AWS::CloudFormation::Init` files of the templates AWS samples write. A line or command written whole in one
 * piece is read in that piece, and a value that holds a reference is not written in the file. Reported on the
 * literal piece that holds the value (no fix: the value is one piece of an assembled text).
 */
export function joinedLines(node: Node, out: Collector, resource?: Resource): void {
  if (!isExpr(node) || node.fn !== 'Fn::Join' || node.args?.length !== 2) return;
  const [separator, list] = node.args;
  if (!isScalar(separator) || typeof separator.value !== 'string' || !isList(list)) return;
  let text = '';
  const pieces: Piece[] = [];
  for (const [i, item] of list.items.entries()) {
    if (i > 0) text += separator.value;
    const start = text.length;
    const literal = isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') ? item : undefined;
    text += literal ? String(literal.value) : HOLE;
    pieces.push({ start, end: text.length, literal });
  }
  if (pieces.length < 2) return;
  /** The literal piece that holds `[start, end)` of the text, unless `[from, end)` is written whole in one piece. */
  const holder = (from: number, start: number, end: number) =>
    pieces.some((p) => p.start <= from && end <= p.end) ? undefined : pieces.find((p) => p.literal && p.start <= start && end <= p.end)?.literal;
  if (/pass|pw|secret|token|key|cred/i.test(text)) {
    for (const a of lineAssignments(text)) {
      if (!isSecretKey(a.key) || a.value.includes(HOLE)) continue;
      const literal = holder(text.lastIndexOf('\n', a.keyStart) + 1, a.start, a.end);
      if (literal) out.add({ kind: 'line', key: a.key, value: a.value, span: contentSpan(literal), resource, quoted: a.quoted });
    }
    // A JSON document assembled from pieces (`'{"username":"app","password":"', "Zx81Qm4L", '"}'`): a Secrets
    // Manager `SecretString`, a configuration file.
    if (text.includes('":')) {
      for (const m of text.matchAll(JSON_PAIR)) {
        const [whole, key, value] = m;
        if (!isSecretKey(key) || value === '' || value.includes(HOLE)) continue;
        const start = m.index + whole.length - 1 - value.length;
        const literal = holder(m.index, start, start + value.length);
        if (literal) out.add({ kind: 'line', key, value, span: contentSpan(literal), resource, quoted: true });
      }
    }
  }
  for (const { words } of commandsIn(text, [{ start: 0, end: text.length }], COMMANDS_WITH_CREDENTIALS)) {
    const found = new Collector();
    commandSites(text, words, found);
    for (const site of found.sites) {
      // A word holding a reference (`${ref}`) is dynamic: `commandSites` never reports it.
      const literal = holder(words[0].start, site.span.start, site.span.end);
      if (literal) out.add({ ...site, span: contentSpan(literal), resource });
    }
  }
}

/** An `Fn::Join` whose first piece opens a JSON document (`'{"username":"app","password":"'`). */
export function isJoinedDocument(node: Node): boolean {
  if (!isExpr(node) || node.fn !== 'Fn::Join' || node.args?.length !== 2 || !isList(node.args[1])) return false;
  const first = node.args[1].items[0];
  return isScalar(first) && typeof first.value === 'string' && /^\s*[[{]/.test(first.value);
}
