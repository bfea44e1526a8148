import { type Node, type Span, verbatimScriptSpan } from '../../../core';

/**
 * The shell scripts of CI/CD and operations files that Airlock reads as YAML or JSON text, by the key that holds them
 * (a string, or a list of strings):
 * - GitLab CI `script`, `before_script`, `after_script` (https://docs.gitlab.com/ci/yaml/#script);
 * - CircleCI `run` and its `command` (https://circleci.com/docs/configuration-reference/#run);
 * - Azure Pipelines `script`, `bash`, `pwsh`, `powershell` steps and an Azure CLI task's `inlineScript`
 *   (https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-script);
 * - Bitbucket Pipelines `script` and `after-script` (https://support.atlassian.com/bitbucket-cloud/docs/step-options/);
 * - Travis CI's phases (`install`, `before_install`, `before_script`, `script`, `after_success`, `after_failure`,
 *   `after_script`, `before_deploy`, `after_deploy`: https://docs.travis-ci.com/user/job-lifecycle/);
 * - Drone and Woodpecker `commands`, Buildkite `command` / `commands`, Taskfile `cmds` / `cmd`;
 * - Ansible's `shell`, `command`, `raw`, `win_shell`, `win_command` modules (also by their fully qualified names,
 *   `ansible.builtin.shell`) and their `cmd` argument
 *   (https://docs.ansible.com/ansible/latest/collections/ansible/builtin/shell_module.html);
 * - a Packer JSON shell provisioner's `inline` commands (https://developer.hashicorp.com/packer/docs/provisioners/shell).
 * Only a value whose source text is the script is read (`verbatimScriptSpan`): a `|` block, a one-line plain or quoted
 * scalar without escapes.
 */
const SCRIPT_KEYS = new Set([
  'script',
  'before_script',
  'after_script',
  'after-script',
  'run',
  'command',
  'commands',
  'cmd',
  'cmds',
  'bash',
  'pwsh',
  'powershell',
  'inlinescript',
  'install',
  'before_install',
  'after_success',
  'after_failure',
  'before_deploy',
  'after_deploy',
  'shell',
  'raw',
  'win_shell',
  'win_command',
  'inline',
]);

/** `ansible.builtin.shell` → `shell`; a key compared in lower case. */
function isScriptKey(key: string): boolean {
  return SCRIPT_KEYS.has(key.slice(key.lastIndexOf('.') + 1).toLowerCase());
}

/**
 * A folded `>` block or a plain scalar written over several lines (`- docker login -u ci` then `-p ... registry` on the
 * next line): YAML joins its lines with blanks, so the command is the source with its line breaks read as blanks.
 */
function foldedScriptSpan(node: Node, source: string): Span | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.contentSpan) return undefined;
  const first = source.charCodeAt(node.span.start);
  if (first === 34 || first === 39 || first === 124) return undefined;
  const { start, end } = node.contentSpan;
  return first === 62 || source.slice(start, end).includes('\n') ? node.contentSpan : undefined;
}

/** The scripts held under script keys in the trees of a YAML or JSON text file. */
export interface CiScripts {
  spans: Span[];
  /** The source with the line breaks of folded scripts read as blanks (offsets unchanged). */
  text: string;
}

export function ciScripts(roots: readonly Node[], source: string): CiScripts {
  const folded: Span[] = [];
  const spans = ciScriptSpans(roots, source, (span) => folded.push(span));
  return { spans, text: folded.length === 0 ? source : unfolded(source, folded) };
}

function unfolded(source: string, folded: Span[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const { start, end } of folded.sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    pieces.push(source.slice(at, start), source.slice(start, end).replace(/[\r\n]/g, ' '));
    at = end;
  }
  pieces.push(source.slice(at));
  return pieces.join('');
}

/** The spans of the scripts held under script keys in the trees of a YAML or JSON text file. */
export function ciScriptSpans(roots: readonly Node[], source: string, onFolded?: (span: Span) => void): Span[] {
  const out: Span[] = [];
  const stack: { node: Node; script: boolean }[] = roots.map((node) => ({ node, script: false }));
  while (stack.length > 0) {
    const { node, script } = stack.pop()!;
    if (node.kind === 'scalar') {
      if (!script) continue;
      const span = verbatimScriptSpan(node, source);
      const fold = span || !onFolded ? undefined : foldedScriptSpan(node, source);
      if (span) out.push(span);
      else if (fold) {
        out.push(fold);
        onFolded?.(fold);
      }
    } else if (node.kind === 'list') {
      // The items of a script list are its commands (GitLab also nests lists from anchors, `- *setup`).
      for (const item of node.items) stack.push({ node: item, script });
    } else if (node.kind === 'map') {
      for (const e of node.entries) stack.push({ node: e.value, script: isScriptKey(e.key) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The shell strings of a Jenkins pipeline's `sh`, `bat`, `powershell` and `pwsh` steps
 * (https://www.jenkins.io/doc/pipeline/steps/workflow-durable-task-step/): `sh 'cmd'`, `sh "cmd"`, `sh '''...'''`,
 * `sh """..."""`, `sh(script: '...', returnStdout: true)`. The span is the string's content.
 */
const STEP = /(?<![\w.$])(?:sh|bat|powershell|pwsh)[ \t]*(?:\([ \t]*(?:script[ \t]*:[ \t]*)?|script[ \t]*:[ \t]*)?('''|"""|'|")/g;

export function pipelineStepScripts(text: string): Span[] {
  const out: Span[] = [];
  /** A triple quote found unclosed once is unclosed for every later step too: not searched for again. */
  const unclosed = new Set<string>();
  STEP.lastIndex = 0;
  for (let m = STEP.exec(text); m; m = STEP.exec(text)) {
    const quote = m[1];
    const start = m.index + m[0].length;
    let end = -1;
    if (quote.length === 3) {
      end = unclosed.has(quote) ? -1 : text.indexOf(quote, start);
      if (end < 0) unclosed.add(quote);
    } else {
      // A one-line string up to the next unescaped quote of its kind. One left open on a line is the last opened with
      // that quote there (a later opener would have closed it), so each line is scanned about once.
      for (let i = start; i < text.length; i++) {
        const c = text[i];
        if (c === '\\') i++;
        else if (c === quote) {
          end = i;
          break;
        } else if (c === '\n') break;
      }
    }
    if (end < 0) {
      STEP.lastIndex = start;
      continue;
    }
    out.push({ start, end });
    STEP.lastIndex = end + quote.length;
  }
  return out;
}
