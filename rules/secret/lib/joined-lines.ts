import { contentSpan, isExpr, isList, isScalar, type Node, type Resource, type ScalarNode } from '../../../core';
import { commandsIn } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites } from './command-sites';
import { isSecretKey } from './keys';
import { lineAssignments } from './lines';
import { Collector } from './sites';

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
 * `"broker_password = ", "Zx81Qm4L", "\n"`, `"docker login -u ci -p ", "Zx81Qm4L", " registry\n"`): the user data
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
