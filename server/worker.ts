import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { analyze, Cancelled, DEFAULT_FILE_BUDGET_MS } from '../core/runner';
import { detectFormat, parseFileSync, prepareFormat, releaseFile } from '../core/formats';
import type { ParsedFile } from '../core/model';
import { tuneProcess } from '../core/runtime';
import { RULES } from '../rules/index';
import type { OffThreadRequest, OffThreadResponse, OffThreadResult } from './offthread';
import { TerraformProjects } from './project';
import { withoutBaselined } from './baseline';
import { asUri, uriToPath } from './uri';

/**
 * Worker thread entry (bundled as `dist/server-worker.js`): analyses the large documents the server sends,
 * one at a time, as the main thread would (see `offthread.ts`).
 */

tuneProcess();

const port = parentPort;
if (!port) throw new Error('server/worker.ts runs as a worker thread');

let queue: Promise<void> = Promise.resolve();
port.on('message', (req: OffThreadRequest) => {
  queue = queue.then(async () => port.postMessage(await respond(req)));
});

async function respond(req: OffThreadRequest): Promise<OffThreadResponse> {
  const flag = new Int32Array(req.cancel);
  const isCancelled = () => Atomics.load(flag, 0) !== 0;
  if (isCancelled()) return { id: req.id, cancelled: true };
  const parsed: ParsedFile[] = [];
  const siblingsFailed = { value: false };
  try {
    const result = await analyseDocument(req, isCancelled, parsed, siblingsFailed);
    if (!result) return { id: req.id, cancelled: true };
    return siblingsFailed.value ? { id: req.id, result, restart: true } : { id: req.id, result };
  } catch (e) {
    if (e instanceof Cancelled) return { id: req.id, cancelled: true };
    if (e instanceof ParserFailure) return { id: req.id, error: e.message, restart: true };
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  } finally {
    // Tree-sitter trees live in WebAssembly memory: free them now, not when the collector gets to them.
    for (const f of parsed) releaseFile(f);
  }
}

/** A parser threw: a WebAssembly parser may be left aborted, so the worker is replaced. */
class ParserFailure extends Error {}

async function analyseDocument(
  req: OffThreadRequest,
  isCancelled: () => boolean,
  parsed: ParsedFile[],
  siblingsFailed: { value: boolean },
): Promise<OffThreadResult | undefined> {
  const format = detectFormat(req.uri, req.text, req.languageId);
  await prepareFormat(format);
  const started = performance.now();
  const parse = (uri: string, text: string) => {
    const f = parseFileSync(uri, text, uri === req.uri ? format : detectFormat(uri, text));
    parsed.push(f);
    return f;
  };
  let file: ParsedFile;
  try {
    file = parse(req.uri, req.text);
  } catch (e) {
    // Emscripten's abort message ends with advice for whoever builds the WebAssembly module.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\.?\s*Build with -s\w+ for more info\.?$/, '');
    throw new ParserFailure(`the parser failed: ${message}`);
  }
  if (isCancelled()) return undefined;
  const projects = new TerraformProjects(
    (dir) =>
      req.openSiblings
        .filter((s) => path.dirname(s.path) === dir)
        .map((s) => {
          let model: ParsedFile | undefined;
          const read = () => {
            try {
              return parse(s.uri, s.text);
            } catch {
              // The project goes on without that buffer; the worker is replaced after this analysis.
              siblingsFailed.value = true;
              return undefined;
            }
          };
          return { uri: s.uri, path: s.path, model: () => (model ??= read()) };
        }),
    // A Helm chart's open values.yaml and Chart.yaml, as typed.
    (filePath) => {
      const open = req.openSiblings.find((s) => s.path === filePath);
      return open && { text: open.text, version: req.id };
    },
  );
  const project = projects.projectFor(file);
  const open = new Set(req.openSiblings.map((s) => s.path));
  const analysis = await analyze(file, {
    rules: RULES,
    config: req.config,
    project,
    isCancelled,
    budgetMs: DEFAULT_FILE_BUDGET_MS,
    // A Helm values file: the findings its lines decide in the chart's closed templates.
    unseenTemplates: (uri) => !open.has(uriToPath(uri) ?? uri),
  });
  const others = new Map<string, string>();
  const own = uriToPath(req.uri);
  const warnings: string[] = [];
  const findings = withoutBaselined(file, own, analysis.findings, req.config, req.configDir, (m) => warnings.push(m));
  for (const f of findings) {
    // Related locations name their file as a path or a URI (the main thread reads them through `asUri`).
    const uris = [...(f.related ?? []).map((r) => (r.uri ? asUri(r.uri) : undefined)), ...(f.fixes ?? []).flatMap((x) => x.edits.map((e) => e.uri))];
    for (const uri of uris) {
      if (!uri || uri === req.uri || others.has(uri) || (own && uriToPath(uri) === own)) continue;
      const text = project.get(uri)?.text;
      if (text !== undefined) others.set(uri, text);
    }
  }
  return {
    format: file.format,
    findings,
    warnings,
    problems: file.problems,
    failures: analysis.failures,
    others: [...others],
    ms: performance.now() - started,
  };
}
