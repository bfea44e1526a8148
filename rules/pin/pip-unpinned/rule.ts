import { cellShellLines, defineRule, type Fix, type RelatedLocation, type Span, spanInCell } from '../../../core';
import { pipInstallArgs, unpinnedRequirements } from '../lib/pip';
import { runScriptsLeftOut } from '../lib/run-scripts';
import { pythonCommands, RUNS_COMMANDS } from '../../lib/python-commands';
import { execCommands, scriptCommands, shellCommands, stripMagic, type Word } from '../../lib/shell';

const MENTIONS_PIP = /\bpip/;

type PinKind = 'pin-version' | 'pin-ref';

/** One unpinned package of a command: where it is written, and what is wrong with it. */
interface Unpinned {
  name: string;
  why: string;
  span: Span;
  fix?: Fix<PinKind>;
}

/** The length of the quote a word is written in (0 when bare): a bare or simply quoted word maps offsets one to one. */
function quoteOf(raw: string): number {
  return raw.length >= 2 && raw[0] === raw[raw.length - 1] && (raw[0] === '"' || raw[0] === "'") ? 1 : 0;
}

/**
 * The unpinned packages of one `pip install` command, in `text` (a cell source or the file text) at the
 * words' offsets; `at` turns offsets into the finding's spans. `command` is where the command's `pip` starts.
 */
function unpinnedOf(words: Word[], text: string, at: (start: number, end: number) => Span): { command: Span; tool: string; found: Unpinned[] } | undefined {
  const install = pipInstallArgs(words);
  if (!install) return undefined;
  const { pip } = install;
  const command = at(pip.start + quoteOf(text.slice(pip.start, pip.end)), pip.end);
  const found = unpinnedRequirements(install.args).map((req) => {
    const raw = text.slice(req.word.start, req.word.end);
    // The finding covers the word without its quotes.
    const quote = quoteOf(raw);
    const span = at(req.word.start + quote, req.word.end - quote);
    const found: Unpinned = { name: req.name, why: req.why, span };
    if (raw.slice(quote, raw.length - quote) === req.word.value) {
      const exact = req.edit.newText.startsWith('==');
      found.fix = {
        title: `Pin ${req.name} to ${exact ? 'an exact version' : 'a commit'}`,
        kind: exact ? 'pin-version' : 'pin-ref',
        safety: 'suggestion',
        snippet: true,
        edits: [{ span: { ...span, start: span.start + req.edit.start, end: span.start + req.edit.end }, newText: req.edit.newText }],
      };
    }
    return found;
  });
  // `pipx install` says so; every other form (`pip3`, `python -m pip`, `uv pip`) is a pip install.
  const tool = /(?:^|\/)pipx$/.test(pip.value) ? 'pipx' : 'pip';
  return { command, tool, found };
}

export default defineRule({
  id: 'pin/pip-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'dockerfile', 'github-actions', 'compose', 'kubernetes'],
  prefilter: { python: ['pip'], dockerfile: ['pip'], 'github-actions': ['pip'], compose: ['pip'], kubernetes: ['pip'] },
  fixes: { 'pin-version': 'suggestion', 'pin-ref': 'suggestion' },
  docs: {
    summary:
      '`pip install` (or `uv pip install`, `pipx install`) of a package without an exact `==` version, or of a git URL without a full commit (also after `-e`): in a notebook (`!pip`, `%pip`, `%%bash`), Python (`subprocess`, `os.system`), a Dockerfile `RUN` (shell and exec form, heredocs, `ONBUILD`), a workflow `run:` step (folded and plain multi-line scalars; `pwsh` and `cmd` too), a Compose command or a Kubernetes container command, and the script a shell runs with `-c` (`sh -c "pip install x"`, `bash -lc`). One finding per install command, naming each package it leaves open.',
    why: 'A notebook or an image that installs `transformers` today and next month gets two different libraries: results stop being reproducible, and a compromised or typo-squatted release is installed the moment it is published. Each package left open is its own risk.',
    fix: 'Pin each package to the version you tested with (`transformers==4.44.2`, `pip freeze` shows them), or install from a pinned `requirements.txt` / constraints file (`pip install -r requirements.txt`). For git URLs add `@<full commit id>` (`git rev-parse v1.2.0` gives the one a tag points at). Requirement and constraint files, local paths, wheels and arguments from variables are not judged.',
    fixes: {
      'pin-version':
        'One fix per package of the command: appends `==` with a placeholder for the version (replacing a range). Airlock never guesses a version.',
      'pin-ref': 'For a VCS URL, appends `@` (or replaces a tag or moving ref) with a placeholder for the commit. Airlock never guesses one.',
    },
    examples: { format: 'notebook', bad: '!pip install transformers datasets', good: '!pip install transformers==4.44.2 datasets==2.21.0' },
  },
  check({ file, report }) {
    // One finding per command: from its `pip` to its last unpinned package, each package a related location and a fix.
    // A container's `sh -c` script is both a script the format declares and the tail of its argument list: read once.
    const seen = new Set<string>();
    const emit = (install: ReturnType<typeof unpinnedOf>) => {
      if (!install || install.found.length === 0) return;
      const at = `${install.command.cell}|${install.command.start}`;
      if (seen.has(at)) return;
      seen.add(at);
      const { found } = install;
      const first = found[0];
      const last = found[found.length - 1];
      const span = { ...install.command, end: last.span.end };
      const fixes = found.flatMap((f) => (f.fix ? [f.fix] : []));
      if (found.length === 1) {
        report({
          span,
          message: `${install.tool} install of "${first.name}" ${first.why}`,
          related: [{ span: first.span, message: `the package "${first.name}"` }],
          fixes,
        });
        return;
      }
      const related: RelatedLocation[] = found.map((f) => ({ span: f.span, message: `"${f.name}" ${f.why}` }));
      const names = found.map((f) => `"${f.name}"`).join(', ');
      report({
        span,
        message: `${install.tool} install leaves ${found.length} packages without an exact version (${names}): every run may install different releases`,
        related,
        fixes,
      });
    };
    // Shell scripts of any format that declares them (Dockerfile RUN commands, workflow run: steps, the scripts containers
    // run through a shell), and commands run without a shell, at file offsets.
    const inFile = (start: number, end: number): Span => ({ start, end });
    for (const { words } of scriptCommands(file, MENTIONS_PIP)) emit(unpinnedOf(words, file.text, inFile));
    for (const words of execCommands(file)) emit(unpinnedOf(words, file.text, inFile));
    for (const script of file.format === 'github-actions' ? runScriptsLeftOut(file) : []) {
      if (!MENTIONS_PIP.test(script.text)) continue;
      const shifted = (words: Word[]) => words.map((w) => ({ ...w, start: w.start + script.span.start, end: w.end + script.span.start }));
      for (const words of shellCommands(script.text)) emit(unpinnedOf(shifted(words), file.text, inFile));
    }
    const cells = file.cells ?? [];
    for (const cell of cells) {
      // Shell lines and calls need the cell's structure: parse only cells that mention pip.
      if (cell.kind !== 'code' || !cell.source.includes('pip')) continue;
      const commands: Word[][] = [];
      for (const line of cellShellLines(cell) ?? []) {
        if (!line.text.includes('install')) continue;
        const { body, offset } = stripMagic(line.text);
        const base = line.span.start + offset;
        for (const words of shellCommands(body)) commands.push(words.map((w) => ({ ...w, start: base + w.start, end: base + w.end })));
      }
      // Commands run through `subprocess` and `os.system`, in Python files and notebook cells alike.
      if (RUNS_COMMANDS.test(cell.source)) commands.push(...pythonCommands(cell, cells));
      for (const words of commands) emit(unpinnedOf(words, cell.source, (start, end) => spanInCell(cell, start, end)));
    }
  },
});
