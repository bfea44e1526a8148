import type { ExprNode, Node, ParsedFile, ParseProblem, Resource } from '../../model';
import { parseYamlDocuments } from '../../parsers/yaml';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { partitionPoint } from '../../sorted';
import { kubernetesResources } from '../kubernetes/resources';
import { commentBlankLines, maskTemplate, type TemplateAction } from './mask';

/**
 * A Helm template as the model: its Go-template actions masked in place (`mask.ts`), the YAML read by the
 * shared reader with the Kubernetes resources, then every value an action wrote turned into a reference
 * (an `ExprNode` with `fn: 'helm'`, the action pipelines as `refs` and the text between actions as
 * `literalParts`), so no rule takes a placeholder for a literal.
 */

const templateDialect: StructuredDialect = { format: 'helm', resources: kubernetesResources };

/** Both branches of an `if`/`else` are kept: a key written in each is no error here. */
const DUPLICATE_KEY = /Map keys must be unique/;

export function parseHelmTemplate(uri: string, text: string): ParsedFile {
  const masked = maskTemplate(text);
  let parsed = parseYamlDocuments(uri, masked.text, templateDialect);
  if (parsed.problems.some(isError) && masked.blankLines.length) {
    const second = parseYamlDocuments(uri, commentBlankLines(masked), templateDialect);
    const added = new Set(masked.blankLines);
    if (!second.problems.some(isError)) parsed = { ...second, comments: second.comments.filter((c) => !added.has(c.span.start)) };
  }
  const actions = masked.values;
  for (const root of parsed.roots) referencesFor(root, actions, text);
  const comments = masked.comments.length ? [...parsed.comments, ...masked.comments].sort((a, b) => a.span.start - b.span.start) : parsed.comments;
  // Resources again: a `metadata.name` an action writes is named by the action's text.
  const resources = actions.length ? kubernetesResources(parsed.roots).map((r) => (r.name ? r : { ...r, name: nameText(r) })) : parsed.resources;
  return { ...parsed, text, comments, resources, problems: problemsOf(parsed.problems, masked.unclosed) };
}

function nameText(r: Resource): string {
  const meta = r.body.entries.find((e) => e.key === 'metadata')?.value;
  const name = meta?.kind === 'map' ? meta.entries.find((e) => e.key === 'name')?.value : undefined;
  return name?.kind === 'expr' ? name.text : '';
}

function isError(p: ParseProblem): boolean {
  return !DUPLICATE_KEY.test(p.message);
}

/**
 * One problem at most: YAML that is broken even after masking breaks everything after it, and each
 * following error would repeat the first.
 */
function problemsOf(problems: ParseProblem[], unclosed: number | undefined): ParseProblem[] {
  if (unclosed !== undefined) return [{ span: { start: unclosed, end: unclosed + 2 }, message: 'Helm template: an action opened with {{ is never closed' }];
  const first = problems.find(isError);
  return first ? [{ span: first.span, message: `${first.message} (in the template with its actions masked)` }] : [];
}

/** Replace, under `root`, every scalar that covers a value action by a reference. */
function referencesFor(root: Node, actions: readonly TemplateAction[], text: string): void {
  if (actions.length === 0) return;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'map') {
      for (const e of n.entries) {
        if (e.value.kind === 'scalar') e.value = reference(e.value, actions, text) ?? e.value;
        else stack.push(e.value);
      }
    } else if (n.kind === 'list') {
      for (let i = 0; i < n.items.length; i++) {
        const item = n.items[i];
        if (item.kind !== 'scalar') stack.push(item);
        else n.items[i] = reference(item, actions, text) ?? item;
      }
    }
  }
}

function reference(node: Node & { kind: 'scalar' }, actions: readonly TemplateAction[], text: string): ExprNode | undefined {
  const { span } = node;
  let i = partitionPoint(actions.length, (j) => actions[j].span.end <= span.start);
  if (i >= actions.length || actions[i].span.start >= span.end) return undefined;
  const content = node.contentSpan ?? span;
  const refs: string[] = [];
  const literalParts: string[] = [];
  let at = content.start;
  for (; i < actions.length && actions[i].span.start < span.end; i++) {
    const a = actions[i];
    literalParts.push(text.slice(at, Math.max(at, a.span.start)));
    refs.push(a.pipeline);
    at = a.span.end;
  }
  literalParts.push(text.slice(Math.min(at, content.end), content.end));
  return { kind: 'expr', fn: 'helm', text: text.slice(span.start, span.end), span, path: node.path, refs, literalParts };
}
