import { cellShellLines, defineRule, type Fix } from '../../../core';
import { pipInstallArgs, unpinnedRequirements } from '../lib/pip';
import { shellCommands, stripMagic } from '../lib/shell';

export default defineRule({
  id: 'pin/pip-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook'],
  fixes: { 'pin-version': 'suggestion', 'pin-ref': 'suggestion' },
  docs: {
    summary: '`pip install` in a notebook (`!pip`, `%pip`, `%%bash`) of a package without an exact `==` version, or of a git URL without a tag or commit.',
    why: 'A notebook that installs `transformers` today and next month gets two different libraries: results stop being reproducible, and a compromised or typo-squatted release is installed the moment it is published. Each package left open is its own risk.',
    fix: 'Pin each package to the version you tested with (`transformers==4.44.2`, `pip freeze` shows them), or install from a pinned `requirements.txt` / constraints file (`pip install -r requirements.txt`). For git URLs add `@<tag or commit>`.',
    fixes: {
      'pin-version': 'Appends `==` with a placeholder for the version (replacing a range). Airlock never guesses a version.',
      'pin-ref': 'For a VCS URL, appends `@` (or replaces a moving ref) with a placeholder for the tag or commit. Airlock never guesses one.',
    },
    examples: { format: 'notebook', bad: '!pip install transformers datasets', good: '!pip install transformers==4.44.2 datasets==2.21.0' },
  },
  check({ file, report }) {
    for (const cell of file.cells ?? []) {
      // Shell lines need the cell's structure: parse only cells that mention pip.
      if (cell.kind !== 'code' || !cell.source.includes('pip')) continue;
      for (const line of cellShellLines(cell) ?? []) {
        if (!line.text.includes('install')) continue;
        const { body, offset } = stripMagic(line.text);
        const base = line.span.start + offset;
        for (const words of shellCommands(body)) {
          const args = pipInstallArgs(words);
          if (!args) continue;
          for (const req of unpinnedRequirements(args)) {
            const raw = body.slice(req.word.start, req.word.end);
            // A bare or simply quoted word maps offsets one to one; the finding covers it without its quotes.
            const quote = raw.length >= 2 && raw[0] === raw[raw.length - 1] && (raw[0] === '"' || raw[0] === "'") ? 1 : 0;
            const span = { ...line.span, start: base + req.word.start + quote, end: base + req.word.end - quote };
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
    }
  },
});
