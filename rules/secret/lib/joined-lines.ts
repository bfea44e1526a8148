import { contentSpan, isExpr, isList, isScalar, type Node, type Resource, type ScalarNode } from '../../../core';
import { isSecretKey } from './keys';
import { lineAssignments } from './lines';
import type { Collector } from './sites';

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
 * `KEY=value` lines of a script or file that CloudFormation `Fn::Join` assembles from pieces, where a line runs
 * across pieces (`"export DB_PASSWORD='", "Zx81Qm4L", "'\n"`, `"broker_password = ", "Zx81Qm4L", "\n"`): the
 * user data and `AWS::CloudFormation::Init` files of the templates AWS samples write. A line written whole in one
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
  if (pieces.length < 2 || !/pass|pw|secret|token|key|cred/i.test(text)) return;
  for (const a of lineAssignments(text)) {
    if (!isSecretKey(a.key) || a.value.includes(HOLE)) continue;
    const lineStart = text.lastIndexOf('\n', a.keyStart) + 1;
    if (pieces.some((p) => p.start <= lineStart && a.end <= p.end)) continue;
    const home = pieces.find((p) => p.literal && p.start <= a.start && a.end <= p.end);
    if (!home?.literal) continue;
    out.add({ kind: 'line', key: a.key, value: a.value, span: contentSpan(home.literal), resource, quoted: a.quoted });
  }
}
