import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Connection,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver/node';
import type { Format, ParsedFile, ParseProblem, Span } from '../core/model';
import type { Finding, Severity } from '../core/rule';
import { LineIndex } from '../core/text';
import { ruleDocsUrl } from '../core/report/meta';
import { suppressionCheckMessage, UNKNOWN_RULE_ID, UNUSED_SUPPRESSION } from '../core/report/suppression-checks';
import type { UnusedSuppression } from '../core/suppress';
import { DIAGNOSTIC_SOURCE, PARSE_ERROR_CODE, type DiagnosticData } from '../protocol';
import { asUri } from './uri';

/**
 * Findings → LSP diagnostics, and what was last published per document: code actions find a diagnostic's
 * finding (and its fixes) there by rule id, range and document version.
 */

/** Parse problems shown per document; the rest are summed up in the last one. */
export const MAX_PARSE_DIAGNOSTICS = 5;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Offsets ↔ LSP positions (UTF-16) over one text. */
export class Positions {
  private index: LineIndex | undefined;

  constructor(readonly text: string) {}

  private get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }

  range(start: number, end: number): Range {
    return { start: this.lines.position(start), end: this.lines.position(Math.max(start, end)) };
  }

  offset(line: number, character: number): number {
    return this.lines.offset({ line, character });
  }

  lineStart(line: number): number {
    return this.lines.lineStart(line);
  }

  lineEnd(line: number): number {
    return this.lines.lineEnd(line);
  }

  line(offset: number): number {
    return this.lines.position(offset).line;
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }
}

/** What was analysed: a text document, or a notebook whose cells are documents of their own. */
export type AnalysedUnit =
  | {
      kind: 'text';
      uri: string;
      version: number;
      file: ParsedFile;
      positions: Positions;
      /** Texts of the other files that fixes edit (e.g. variables.tf), as the analysis saw them. */
      others: Map<string, string>;
    }
  | {
      kind: 'notebook';
      notebookUri: string;
      notebookVersion: number;
      file: ParsedFile;
      cellUris: string[];
      cellVersions: number[];
      cellPositions: Positions[];
    };

export interface PublishedFinding {
  finding: Finding;
  diagnostic: Diagnostic;
}

export interface Published {
  /** The document the diagnostics were published on (a text document or a notebook cell). */
  uri: string;
  version: number;
  unit: AnalysedUnit;
  findings: PublishedFinding[];
}

function equalRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Published diagnostics by document URI. */
export class PublishedStore {
  private readonly byUri = new Map<string, Published>();

  constructor(private readonly connection: Connection) {}

  publish(p: Published, extra: Diagnostic[] = []): void {
    this.byUri.set(p.uri, p);
    this.send({ uri: p.uri, version: p.version, diagnostics: [...p.findings.map((f) => f.diagnostic), ...extra] });
  }

  /** Publish diagnostics that have no code actions (files that are not open, after a workspace scan). */
  publishPlain(uri: string, diagnostics: Diagnostic[]): void {
    this.byUri.delete(uri);
    this.send({ uri, diagnostics });
  }

  clear(uri: string): void {
    this.byUri.delete(uri);
    this.send({ uri, diagnostics: [] });
  }

  /** A notification that cannot be sent (the connection closed) is not an error worth crashing for. */
  private send(params: PublishDiagnosticsParams): void {
    this.connection.sendDiagnostics(params).catch(() => undefined);
  }

  get(uri: string): Published | undefined {
    return this.byUri.get(uri);
  }

  /** The finding behind a diagnostic the client sent back, if it is still current for `version`. */
  lookup(uri: string, diagnostic: Diagnostic, currentVersion: number | undefined): { published: Published; entry: PublishedFinding } | undefined {
    const data = diagnostic.data as Partial<DiagnosticData> | undefined;
    if (!data || typeof data.ruleId !== 'string' || typeof data.index !== 'number' || typeof data.version !== 'number') return undefined;
    const published = this.byUri.get(uri);
    if (!published || published.version !== data.version || currentVersion !== data.version) return undefined;
    const entry = published.findings[data.index];
    if (!entry || entry.finding.ruleId !== data.ruleId || !equalRange(entry.diagnostic.range, diagnostic.range)) return undefined;
    return { published, entry };
  }
}

const WHAT: Record<Format, string> = {
  terraform: 'this Terraform file',
  'terraform-json': 'this Terraform JSON file',
  'terraform-plan': 'this Terraform plan',
  terragrunt: 'this Terragrunt file',
  cloudformation: 'this CloudFormation template',
  kubernetes: 'this Kubernetes manifest',
  'github-actions': 'this GitHub Actions file',
  helm: 'this Helm chart file',
  compose: 'this Compose file',
  kustomize: 'this kustomization',
  notebook: 'this notebook cell',
  python: 'this Python file',
  dockerfile: 'this Dockerfile',
  modelfile: 'this Modelfile',
  text: 'this file',
};

/** Parse problems as Information diagnostics, capped. */
export function problemDiagnostics(format: Format, problems: readonly ParseProblem[], range: (span: Span) => Range): Diagnostic[] {
  const shown = problems.slice(0, MAX_PARSE_DIAGNOSTICS);
  const out = shown.map((p, i) => {
    const more = i === shown.length - 1 && problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    return {
      range: range(p.span),
      severity: DiagnosticSeverity.Information,
      code: PARSE_ERROR_CODE,
      source: DIAGNOSTIC_SOURCE,
      message: `Airlock could not parse ${WHAT[format]}: ${p.message}${more}`,
    } satisfies Diagnostic;
  });
  return out;
}

export interface Locator {
  /** Where a span of the analysed file is: the document URI and range (notebook spans land on their cell). */
  locate(span: Span, uri?: string): { uri: string; range: Range } | undefined;
}

/** The diagnostic of a finding published at `index` on a document at `version`. */
export function findingDiagnostic(finding: Finding, range: Range, version: number, index: number, locator: Locator, messageSuffix = ''): Diagnostic {
  const d: Diagnostic = {
    range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message + messageSuffix,
    data: { ruleId: finding.ruleId, version, index } satisfies DiagnosticData,
  };
  if (finding.related?.length) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of finding.related) {
      const where = locator.locate(r.span, r.uri ? asUri(r.uri) : undefined);
      if (where) related.push({ location: { uri: where.uri, range: where.range }, message: r.message });
    }
    if (related.length) d.relatedInformation = related;
  }
  return d;
}

/**
 * `airlock:ignore` comments that hide nothing: an id naming no rule as a warning, an unused one as a hint faded out
 * as unnecessary. Other scanners' markers are left alone (their own tool may still need them); so are notebook
 * cells, whose spans are not this document's.
 */
export function suppressionDiagnostics(entries: readonly UnusedSuppression[], range: (span: Span) => Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const u of entries) {
    if (u.tool || u.span.cell !== undefined || u.kind === 'unmapped') continue;
    const unknown = u.kind === 'unknown-rule';
    const code = unknown ? UNKNOWN_RULE_ID : UNUSED_SUPPRESSION;
    for (const id of u.ids) {
      out.push({
        range: range(u.span),
        severity: unknown ? DiagnosticSeverity.Warning : DiagnosticSeverity.Hint,
        ...(unknown ? {} : { tags: [DiagnosticTag.Unnecessary] }),
        code,
        codeDescription: { href: ruleDocsUrl(code) },
        source: DIAGNOSTIC_SOURCE,
        message: suppressionCheckMessage(u, id),
      });
    }
  }
  return out;
}
