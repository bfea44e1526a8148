import type { Entry, Node, Resource, Span } from '../../model';
import { get } from '../../nodes';
import { isShell, listItems, shellArgvScripts } from '../script-span';

/**
 * The shell scripts a configuration runs, as `shellScripts` of the file:
 * - a `local-exec` provisioner's `command`, which Terraform hands to `/bin/sh -c` unless `interpreter` names another
 *   program (https://developer.hashicorp.com/terraform/language/resources/provisioners/local-exec);
 * - each line of a `remote-exec` provisioner's `inline` list, run by the resource's shell
 *   (https://developer.hashicorp.com/terraform/language/resources/provisioners/remote-exec);
 * - the script an `external` data source's `program` hands a shell (`["bash", "-c", "…"]`).
 * A string counts only when its source is its text offset for offset: no escapes (`\"`, `$${`) and no template
 * directives. Interpolations stay as written, and the shell reader takes `${...}` for a value known at run time.
 */
export function terraformScripts(resources: readonly Resource[], text: string): Span[] {
  const out: Span[] = [];
  for (const r of resources) {
    if (r.kind === 'data' && r.type === 'external') {
      shellArgvScripts(listItems(get(r.body, 'program')), text, out, hclScriptSpan);
      continue;
    }
    for (const e of r.body.entries) if (e.key === 'provisioner' && e.form === 'block') provisionerScripts(e, text, out);
  }
  return out.sort((a, b) => a.start - b.start);
}

function provisionerScripts(block: Entry, text: string, out: Span[]): void {
  const kind = block.labels?.[0];
  const body = block.value;
  let scripts: Node[] = [];
  if (kind === 'local-exec') {
    const interpreter = listItems(get(body, 'interpreter'));
    const first = interpreter[0];
    if (interpreter.length && !(first.kind === 'scalar' && typeof first.value === 'string' && isShell(first.value))) return;
    const command = get(body, 'command');
    scripts = command ? [command] : [];
  } else if (kind === 'remote-exec') scripts = listItems(get(body, 'inline'));
  for (const node of scripts) {
    const span = hclScriptSpan(node, text);
    if (span) out.push(span);
  }
}

/**
 * The span of an HCL string whose source is its script: a quoted string without escapes, or a heredoc's lines (a
 * heredoc has no backslash escapes; a `<<-` heredoc's indentation is blanks the shell skips).
 */
function hclScriptSpan(node: Node, text: string): Span | undefined {
  if (node.kind === 'list' || node.kind === 'map') return undefined;
  const source = text.slice(node.span.start, node.span.end);
  if (source.startsWith('<<')) {
    const start = text.indexOf('\n', node.span.start) + 1;
    const end = text.lastIndexOf('\n', node.span.end - 1);
    return start > 0 && end > start && !TEMPLATE_ESCAPE.test(text.slice(start, end)) ? { start, end } : undefined;
  }
  return source.length >= 2 && source[0] === '"' && source.endsWith('"') && !/\\/.test(source) && !TEMPLATE_ESCAPE.test(source)
    ? { start: node.span.start + 1, end: node.span.end - 1 }
    : undefined;
}

/** `$${` and `%%{` write a literal `${` / `%{`; `%{ ... }` is a directive: the source is not the script. */
const TEMPLATE_ESCAPE = /\$\$\{|%\{/;
