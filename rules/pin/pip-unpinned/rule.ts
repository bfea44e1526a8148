import { cellShellLines, defineRule, type Fix, spanInCell } from '../../../core';
import { pipInstallArgs, unpinnedRequirements } from '../lib/pip';
import { pythonCommands } from '../lib/pip-calls';
import { shellCommands, stripMagic, type Word } from '../lib/shell';

const RUNS_COMMANDS = /\b(?:subprocess|system|popen|run|call|check_call|check_output|Popen|getoutput)\b/;

export default defineRule({
  id: 'pin/pip-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python'],
  prefilter: { python: ['pip'] },
  fixes: { 'pin-version': 'suggestion', 'pin-ref': 'suggestion' },
  docs: {
    summary:
      '`pip install` in a notebook (`!pip`, `%pip`, `%%bash`) or run from Python (`subprocess`, `os.system`) of a package without an exact `==` version, or of a git URL without a tag or commit.',
    why: 'A notebook that installs `transformers` today and next month gets two different libraries: results stop being reproducible, and a compromised or typo-squatted release is installed the moment it is published. Each package left open is its own risk.',
    fix: 'Pin each package to the version you tested with (`transformers==4.44.2`, `pip freeze` shows them), or install from a pinned `requirements.txt` / constraints file (`pip install -r requirements.txt`). For git URLs add `@<tag or commit>`.',
    fixes: {
      'pin-version': 'Appends `==` with a placeholder for the version (replacing a range). Airlock never guesses a version.',
      'pin-ref': 'For a VCS URL, appends `@` (or replaces a moving ref) with a placeholder for the tag or commit. Airlock never guesses one.',
    },
    examples: { format: 'notebook', bad: '!pip install transformers datasets', good: '!pip install transformers==4.44.2 datasets==2.21.0' },
  },
  check({ file, report }) {
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
      // Commands run through `subprocess` and `os.system` are read in Python files; notebooks install with `!pip`.
      if (file.format === 'python' && RUNS_COMMANDS.test(cell.source)) commands.push(...pythonCommands(cell, cells));
      for (const words of commands) {
        const args = pipInstallArgs(words);
        if (!args) continue;
        for (const req of unpinnedRequirements(args)) {
          const raw = cell.source.slice(req.word.start, req.word.end);
          // A bare or simply quoted word maps offsets one to one; the finding covers it without its quotes.
          const quote = raw.length >= 2 && raw[0] === raw[raw.length - 1] && (raw[0] === '"' || raw[0] === "'") ? 1 : 0;
          const span = spanInCell(cell, req.word.start + quote, req.word.end - quote);
          const fixes: Fix<'pin-version' | 'pin-ref'>[] = [];
          if (raw.slice(quote, raw.length - quote) === req.word.value) {
            const exact = req.edit.newText.startsWith('==');
            fixes.push({
              title: `Pin ${req.name} to ${exact ? 'an exact version' : 'a tag or commit'}`,
              kind: exact ? 'pin-version' : 'pin-ref',
              safety: 'suggestion',
              snippet: true,
              edits: [{ span: { ...span, start: span.start + req.edit.start, end: span.start + req.edit.end }, newText: req.edit.newText }],
            });
          }
          report({ span, message: `pip install of "${req.name}" ${req.why}`, fixes });
        }
      }
    }
  },
});
