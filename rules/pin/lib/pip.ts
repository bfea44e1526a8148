import { programName, type Word } from '../../lib/shell';
import { FULL_COMMIT, SHORT_COMMIT } from './git-refs';
import { refIsPinned } from './module-source';

/**
 * `pip install` arguments, read like pip reads them: options (and the values some take), requirement files,
 * editable and local installs, URLs and requirement specifiers. A requirement is pinned only by `==` (or
 * `===`) with one exact version; a VCS URL by a tag or commit after `@`.
 */

/** Options that consume the next word (when not written `--opt=value`). */
const WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-t',
  '--target',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--prefix',
  '--root',
  '--src',
  '--upgrade-strategy',
  '--progress-bar',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--trusted-host',
  '--proxy',
  '--timeout',
  '--retries',
  '--cache-dir',
  '--log',
  '--config-settings',
  '-C',
  '--global-option',
  '--install-option',
  '--python',
  '--exists-action',
  '--report',
  '--cert',
  '--client-cert',
  '--keyring-provider',
  '--root-user-action',
  '--use-feature',
  '--use-deprecated',
  '--group',
  '--dry-run-report',
  // pipx install
  '--suffix',
  '--pip-args',
]);

export interface UnpinnedRequirement {
  word: Word;
  name: string;
  why: string;
  /** The suggested edit, in offsets into the word's value: `==<version>` or a git `@<ref>`. */
  edit: { start: number; end: number; newText: string };
}

/**
 * The `pip` word of a `pip install` in a simple command and the arguments of the install (options pip takes
 * before the subcommand, `pip --trusted-host h install x`, included), or undefined for any other command.
 * `pipx install` counts: it installs the newest release of a package the same way unless given `==`.
 */
export function pipInstallArgs(words: Word[]): { pip: Word; args: Word[] } | undefined {
  for (let k = 0; k + 1 < words.length; k++) {
    if (!/^pip(?:[\d.]*|x)$/.test(programName(words[k]))) continue;
    let i = k + 1;
    while (i < words.length && words[i].value.startsWith('-')) i += WITH_VALUE.has(words[i].value) ? 2 : 1;
    if (words[i]?.value === 'install') return { pip: words[k], args: [...words.slice(k + 1, i), ...words.slice(i + 1)] };
  }
  return undefined;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,\s-]*\])?/;

/**
 * The option a word of grouped short options ends with when it takes the next word: pip parses its command line with
 * optparse (https://docs.python.org/3/library/optparse.html), which reads `-Ur requirements.txt` as `-U -r
 * requirements.txt`. A value-taking option earlier in the group takes the rest of the word instead (`-Urreq.txt`).
 */
function groupedOption(v: string): string {
  if (!/^-[A-Za-z]{2,}$/.test(v)) return v;
  for (let i = 1; i < v.length; i++) if (WITH_VALUE.has(`-${v[i]}`)) return i === v.length - 1 ? `-${v[i]}` : v;
  return v;
}

/** Every requirement of a `pip install` that is not pinned to one version. */
export function unpinnedRequirements(args: Word[]): UnpinnedRequirement[] {
  const out: UnpinnedRequirement[] = [];
  for (let k = 0; k < args.length; k++) {
    const w = args[k];
    const v = groupedOption(w.value);
    if (v.startsWith('-')) {
      // A constraints file can pin everything named on the line: nothing here is decidable.
      if (v === '-c' || v === '--constraint' || v.startsWith('--constraint=')) return [];
      // Without the index every package comes from local archives (`--find-links`): files you built, not releases.
      if (v === '--no-index') return [];
      const editable = editableVcs(args, k, v);
      if (editable) out.push(editable);
      if (WITH_VALUE.has(v)) k++;
      continue;
    }
    if (w.dynamic || v === '') continue;
    const problem = requirementProblem(v);
    if (problem) out.push({ word: w, name: requirementName(v), ...problem });
  }
  return out;
}

/**
 * `-e` / `--editable` takes a local project or a VCS URL
 * (https://pip.pypa.io/en/stable/cli/pip_install/#install-editable): a VCS URL is judged like any other, at its ref.
 */
function editableVcs(args: Word[], k: number, v: string): UnpinnedRequirement | undefined {
  const prefix = '--editable=';
  const [word, at] = v === '-e' || v === '--editable' ? [args[k + 1], 0] : v.startsWith(prefix) ? [args[k], prefix.length] : [undefined, 0];
  if (!word || word.dynamic) return undefined;
  const url = word.value.slice(at);
  const problem = /^(?:git|hg|svn|bzr)\+/.test(url) ? requirementProblem(url) : undefined;
  if (!problem) return undefined;
  return { word, name: requirementName(url), why: problem.why, edit: { ...problem.edit, start: problem.edit.start + at, end: problem.edit.end + at } };
}

/** The package a requirement names: `transformers[torch]>=4` → `transformers`; a VCS URL by `#egg=` or its repository. */
function requirementName(v: string): string {
  const vcs = /^(?:([A-Za-z0-9._-]+)\s*@\s*)?(?:git|hg|svn|bzr)\+(.*)$/.exec(v);
  if (vcs) {
    const egg = /#egg=([^&]+)/.exec(vcs[2]);
    const tail = vcs[2]
      .replace(/#.*$/, '')
      .replace(/@[^/]*$/, '')
      .replace(/\/+$/, '');
    return vcs[1] ?? egg?.[1] ?? tail.slice(tail.lastIndexOf('/') + 1).replace(/\.git$/, '');
  }
  return NAME.exec(v)?.[0].replace(/\[.*$/, '') ?? v;
}

function requirementProblem(v: string): { why: string; edit: UnpinnedRequirement['edit'] } | undefined {
  // Local directories, archives and wheels: a file you have, not a release someone else publishes.
  if (/^(?:\.{1,2}(?:[/\\]|$)|[/\\~]|[A-Za-z]:\\|file:)/.test(v)) return undefined;
  if (/\.(?:whl|zip|tar\.gz|tgz|tar\.bz2)(?:#.*)?$/i.test(v)) return undefined;
  const vcs = /^(?:[A-Za-z0-9._-]+\s*@\s*)?(git|hg|svn|bzr)\+([^#]+)/.exec(v);
  if (vcs) {
    const urlEnd = vcs.index + vcs[0].length;
    const url = vcs[2];
    const tail = url.slice(url.lastIndexOf('/') + 1);
    const at = tail.lastIndexOf('@');
    const ref = '${1:commit}';
    if (at < 0)
      return { why: `installs whatever the default branch of the ${vcs[1]} repository holds`, edit: { start: urlEnd, end: urlEnd, newText: `@${ref}` } };
    const current = tail.slice(at + 1);
    // Only a full commit pins a VCS install: the repository's owner can move or delete a tag, and pip has no hash of
    // the checkout to check it against (the same reason an action pinned to a tag is a finding).
    if (FULL_COMMIT.test(current)) return undefined;
    const why = SHORT_COMMIT.test(current)
      ? `installs the abbreviated commit "${current}": only a full commit pins a git install`
      : refIsPinned(current)
        ? `installs the tag "${current}", which the repository can move: only a full commit pins a git install`
        : `installs the moving ref "${current}"`;
    return { why, edit: { start: urlEnd - current.length, end: urlEnd, newText: ref } };
  }
  if (/^[a-z]+:\/\//i.test(v)) return undefined;
  const m = NAME.exec(v);
  if (!m) return undefined;
  const rest = v.slice(m[0].length);
  const spec = rest.replace(/;.*$/, '').trim();
  const edit = { start: m[0].length, end: m[0].length + (rest.length - rest.replace(/^[^;]*/, '').length), newText: '==${1:version}' };
  if (spec === '') return { why: 'has no version: every run installs the newest release', edit };
  // `pkg=1.0` is not pip syntax (pip rejects it): a typo to fix, not a range to pin.
  if (/^=[^=]/.test(spec)) return undefined;
  if (/^===?\s*[^\s,*=<>!~]+$/.test(spec)) return undefined;
  if (/^[<>=!~]/.test(spec)) return { why: `accepts a range of versions ("${spec}")`, edit };
  return undefined;
}
