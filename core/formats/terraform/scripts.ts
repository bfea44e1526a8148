import type { Entry, Node, Resource, Span } from '../../model';
import { listItems } from '../script-span';

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
      const argv = listItems(r.body.entries.find((e) => e.key === 'program')?.value);
      for (let k = 0; k + 1 < argv.length; k++) if (isShellFlag(argv, k)) pushSpan(argv[k + 1], text, out);
      continue;
    }
    for (const e of r.body.entries) if (e.key === 'provisioner' && e.form === 'block') provisionerScripts(e, text, out);
  }
  return out.sort((a, b) => a.start - b.start);
}

const SHELL = /^(?:\S*\/)?(?:ba|da|a|z|k)?sh$/;

function isShellFlag(argv: Node[], k: number): boolean {
  const word = (n: Node) => (n.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined);
  return /^-[a-z]*c$/.test(word(argv[k]) ?? '') && argv.slice(0, k).some((n) => SHELL.test(word(n) ?? ''));
}

function provisionerScripts(block: Entry, text: string, out: Span[]): void {
  const kind = block.labels?.[0];
  if (block.value.kind !== 'map') return;
  const body = block.value.entries;
  const get = (key: string) => body.find((e) => e.key === key)?.value;
  if (kind === 'local-exec') {
    const interpreter = listItems(get('interpreter'));
    const first = interpreter[0];
    if (interpreter.length && !(first.kind === 'scalar' && typeof first.value === 'string' && SHELL.test(first.value))) return;
    const command = get('command');
    if (command) pushSpan(command, text, out);
  } else if (kind === 'remote-exec') {
    for (const line of listItems(get('inline'))) pushSpan(line, text, out);
  }
}

/**
 * The span of an HCL string whose source is its script: a quoted string without escapes, or a heredoc's lines (a
 * heredoc has no backslash escapes; a `<<-` heredoc's indentation is blanks the shell skips).
 */
function pushSpan(node: Node, text: string, out: Span[]): void {
  if (node.kind === 'list' || node.kind === 'map') return;
  const source = text.slice(node.span.start, node.span.end);
  if (source.startsWith('<<')) {
    const start = text.indexOf('\n', node.span.start) + 1;
    const end = text.lastIndexOf('\n', node.span.end - 1);
    if (start > 0 && end > start && !TEMPLATE_ESCAPE.test(text.slice(start, end))) out.push({ start, end });
  } else if (source.length >= 2 && source[0] === '"' && source.endsWith('"') && !/\\/.test(source) && !TEMPLATE_ESCAPE.test(source)) {
    out.push({ start: node.span.start + 1, end: node.span.end - 1 });
  }
}

/** `$${` and `%%{` write a literal `${` / `%{`; `%{ ... }` is a directive: the source is not the script. */
const TEMPLATE_ESCAPE = /\$\$\{|%\{/;
