import { type Cell, cellShellLines, type HubRepoType, type ParsedFile, pythonSnippet, type Span } from '../../../core';
import { HUB_HINT, type HubLoad, isRepoId, localOutputs, pythonHubLoads, REPO_TYPES } from './hf';
import { programName, scriptCommands, shellCommands, stripMagic, type Word } from '../../lib/shell';

const HF_CLI = /huggingface-cli|\bhf\b/;

/** Where `huggingface-cli download` / `hf download` starts in a command's words (-1: it is another command). */
function downloadIndex(words: Word[]): number {
  return words.findIndex((w, i) => /^(huggingface-cli|hf)$/.test(programName(w)) && words[i + 1]?.value === 'download');
}

/** The same commands in the shell scripts a file declares (Dockerfile `RUN` instructions, workflow steps), at file offsets. */
export function scriptHubLoads(file: ParsedFile): HubLoad[] {
  const out: HubLoad[] = [];
  for (const { words } of scriptCommands(file, HF_CLI)) {
    const k = downloadIndex(words);
    const load = k < 0 ? undefined : cliDownload(words.slice(k + 2), { start: 0, end: 0 }, 0);
    if (load) out.push(load);
  }
  return out;
}

/** `python -c`, `python3 -c`, `python3.11 -c`: the next word is a program. */
export const PYTHON_C = /\bpython[0-9.]*\s+-c\b/;

/**
 * Hub loads in the programs the file's scripts pass to `python -c` (`RUN python -c "from transformers import ...;
 * AutoModel.from_pretrained('org/model')"`, which bakes a model into an image): the program is read as Python. Where
 * the program is written in the file as it runs (no escapes, no line continuation), findings point into it and fixes
 * apply; otherwise they point at the whole argument, without a fix. A program the shell expands (`$VAR`, backticks)
 * is not read.
 */
export async function scriptPythonLoads(file: ParsedFile): Promise<HubLoad[]> {
  const out: HubLoad[] = [];
  for (const { words } of scriptCommands(file, PYTHON_C)) {
    const k = words.findIndex((w, i) => /^python[0-9.]*$/.test(programName(w)) && words[i + 1]?.value === '-c');
    const program = k < 0 ? undefined : words[k + 2];
    if (!program || /[$`]/.test(program.value) || !HUB_HINT.test(program.value)) continue;
    const unit = await pythonSnippet(program.value);
    const written = file.text.slice(program.start, program.end);
    const at = written === program.value ? program.start : written.slice(1, -1) === program.value && /^["']/.test(written) ? program.start + 1 : -1;
    const place = (span: Span): Span => (at < 0 ? { start: program.start, end: program.end } : { start: at + span.start, end: at + span.end });
    for (const load of pythonHubLoads(unit, [unit], localOutputs([unit]))) {
      const placed: HubLoad = { ...load, repoSpan: place(load.repoSpan) };
      if (load.revision) placed.revision = { ...load.revision, span: place(load.revision.span), literal: load.revision.literal && at >= 0 };
      if (load.remoteCode) placed.remoteCode = place(load.remoteCode);
      if (load.insertAt && at >= 0) {
        placed.insertAt = place(load.insertAt);
        // The inserted `revision="..."` takes the quote the shell's quoting leaves free.
        const shellQuote = at > program.start ? written[0] : '';
        const free = shellQuote === '"' ? "'" : '"';
        if (shellQuote) {
          placed.insertPrefix = load.insertPrefix?.replaceAll(shellQuote, free);
          placed.insertSuffix = load.insertSuffix?.replaceAll(shellQuote, free) ?? (placed.insertPrefix?.endsWith(free) ? free : undefined);
        }
      } else delete placed.insertAt;
      if (load.related) placed.related = load.related.map((r) => (r.uri ? r : { ...r, span: place(r.span) }));
      out.push(placed);
    }
  }
  return out;
}

/** `huggingface-cli download org/repo [files] [--revision sha]` and `hf download ...` in `!`/`%` lines. */
export function shellHubLoads(cell: Cell): HubLoad[] {
  const out: HubLoad[] = [];
  for (const line of cellShellLines(cell) ?? []) {
    if (!HF_CLI.test(line.text)) continue;
    const { body, offset } = stripMagic(line.text);
    for (const words of shellCommands(body)) {
      const k = downloadIndex(words);
      if (k < 0) continue;
      const load = cliDownload(words.slice(k + 2), line.span, offset);
      if (load) out.push(load);
    }
  }
  return out;
}

/** Options of `huggingface-cli download` that take a value (`--include`/`--exclude` take several). */
const CLI_VALUE = new Set(['--repo-type', '--revision', '--cache-dir', '--local-dir', '--local-dir-use-symlinks', '--token', '--max-workers', '--format']);
const CLI_MANY = new Set(['--include', '--exclude']);

function cliDownload(args: Word[], lineSpan: Span, offset: number): HubLoad | undefined {
  let repo: Word | undefined;
  let revision: Word | undefined;
  let revisionValue: string | undefined;
  let repoType: string | undefined = 'model';
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.value === '--repo-type' || w.value.startsWith('--repo-type=')) {
      const v = w.value === '--repo-type' ? args[++i] : { ...w, value: w.value.slice('--repo-type='.length) };
      repoType = v && !v.dynamic ? v.value : undefined;
    } else if (w.value.startsWith('--revision=')) {
      revision = w;
      revisionValue = w.value.slice('--revision='.length);
    } else if (w.value === '--revision') {
      revision = args[i + 1];
      revisionValue = revision?.value;
      i++;
    } else if (CLI_VALUE.has(w.value)) i++;
    else if (CLI_MANY.has(w.value)) while (i + 1 < args.length && !args[i + 1].value.startsWith('-')) i++;
    else if (!w.value.startsWith('-') && !repo) repo = w;
  }
  if (!repo || repo.dynamic || !isRepoId(repo.value)) return undefined;
  const base = lineSpan.start + offset;
  const load: HubLoad = { loader: 'huggingface-cli download', repo: repo.value, repoSpan: { ...lineSpan, start: base + repo.start, end: base + repo.end } };
  if (repoType !== undefined && REPO_TYPES.includes(repoType)) load.repoType = repoType as HubRepoType;
  if (revision) {
    const span = { ...lineSpan, start: base + revision.start, end: base + revision.end };
    load.revision = { value: revision.dynamic ? null : (revisionValue ?? null), span, literal: !revision.dynamic };
  } else {
    load.insertAt = { ...lineSpan, start: base + repo.end, end: base + repo.end };
    load.insertPrefix = ' --revision ';
  }
  return load;
}
