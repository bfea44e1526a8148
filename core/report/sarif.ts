import { pathToFileURL } from 'node:url';
import type { Location, Log, Notification, PhysicalLocation, ReportingDescriptor, Region as SarifRegion, Fix as SarifFix, Result, Suppression } from 'sarif';
import { renderRuleDoc } from '../docs';
import type { Severity } from '../rule';
import { formatSize, ruleDocsUrl } from './meta';
import { securityMeta, securityTags } from './security';
import { renderCheckDoc } from './suppression-checks';
import type { Region, ReportEdit, ReportFinding, ReportLocation, ReportProblem, ReportRule, ScanReport } from './types';

/**
 * SARIF 2.1.0, one run. Paths are relative to `%SRCROOT%` (the scan root, given in `originalUriBaseIds`),
 * regions 1-based with columns in UTF-16 code units (`columnKind`). Parse problems, rule failures,
 * unreadable and skipped files are `invocations[0].toolExecutionNotifications`.
 */

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

function sarifLevel(severity: Severity): Exclude<Result.level, 'none'> {
  return severity === 'info' ? 'note' : severity;
}

/** A relative path as a URI reference: each segment percent-encoded. */
function sarifUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function region(r: Region): SarifRegion;
function region(r: Partial<Region>): SarifRegion | undefined;
function region(r: Partial<Region>): SarifRegion | undefined {
  if (r.line === undefined) return undefined;
  return {
    startLine: r.line,
    startColumn: r.column ?? 1,
    endLine: r.endLine ?? r.line,
    endColumn: r.endColumn ?? r.column ?? 1,
  };
}

function physicalLocation(loc: ReportLocation): PhysicalLocation {
  const reg = region(loc);
  return {
    artifactLocation: { uri: sarifUri(loc.path), uriBaseId: SRCROOT },
    ...(reg ? { region: reg } : {}),
  };
}

function fixes(f: ReportFinding): SarifFix[] | undefined {
  const out: SarifFix[] = [];
  for (const fix of f.fixes ?? []) {
    if (!fix.edits?.length) continue;
    const byPath = new Map<string, ReportEdit[]>();
    for (const e of fix.edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
    out.push({
      description: { text: fix.title },
      artifactChanges: [...byPath].map(([path, edits]) => ({
        artifactLocation: { uri: sarifUri(path), uriBaseId: SRCROOT },
        replacements: edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
      })),
      properties: { safety: fix.safety },
    });
  }
  return out.length ? out : undefined;
}

function notification(p: ReportProblem, ruleIndex: Map<string, number>): Notification {
  return {
    level: p.level,
    message: { text: p.message },
    descriptor: { id: `airlock/${p.kind}` },
    ...(p.ruleId ? { associatedRule: { id: p.ruleId, ...(ruleIndex.has(p.ruleId) ? { index: ruleIndex.get(p.ruleId) } : {}) } } : {}),
    locations: [{ physicalLocation: physicalLocation(p) }],
  };
}

/**
 * Code scanning groups a run's uploads by `automationDetails.id` up to its last `/` (the category): one
 * category for every Airlock run, so that a new upload replaces the previous one's alerts.
 */
const AUTOMATION_ID = 'airlock/';
/** `partialFingerprints` key: the baseline fingerprint (see core/baseline/identity.ts), unique in a run. */
const FINGERPRINT_KEY = 'airlockFingerprint/v1';

/** `storage/s3-public-acl` → `S3PublicAcl`: an identifier-like name for tools that show rule names. */
function ruleName(id: string): string {
  return id
    .slice(id.indexOf('/') + 1)
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * A rule's ranking for code scanning; the checks of suppression comments are no security weakness: no
 * `security-severity`, tagged `maintainability`.
 */
function ruleProperties(r: ReportRule): ReportingDescriptor['properties'] {
  if (r.family === 'airlock') return { family: r.family, tags: ['maintainability'], precision: 'very-high' };
  const sec = securityMeta(r.id, r.family);
  return { family: r.family, tags: securityTags(r.id, r.family), precision: sec.precision, 'security-severity': sec.securitySeverity };
}

function sarifRule(r: ReportRule): ReportingDescriptor {
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: r.docs.summary },
    fullDescription: { text: r.docs.why },
    help: { text: r.docs.fix, markdown: r.family === 'airlock' ? renderCheckDoc(r) : renderRuleDoc(r) },
    helpUri: ruleDocsUrl(r.id),
    defaultConfiguration: { level: sarifLevel(r.severity), ...(r.defaultOff ? { enabled: false } : {}) },
    properties: ruleProperties(r),
  };
}

/** Results a suppression hides are kept, marked: an `airlock:ignore` comment, or the baseline. */
function suppressionsOf(f: ReportFinding, baselinePath: string | undefined): Suppression[] | undefined {
  if (baselinePath !== undefined) return [{ kind: 'external', status: 'accepted', justification: `in baseline ${baselinePath}` }];
  if (f.suppression)
    return [{ kind: f.suppression.kind, status: 'accepted', ...(f.suppression.justification ? { justification: f.suppression.justification } : {}) }];
  return undefined;
}

export function toSarif(report: ScanReport): Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const notifications: Notification[] = [
    ...report.problems.map((p) => notification(p, ruleIndex)),
    ...report.skipped.map(
      (s): Notification => ({
        level: 'note',
        message: { text: s.reason === 'binary' ? 'skipped: binary file' : `skipped: over ${formatSize(report.maxFileSize)}` },
        descriptor: { id: `airlock/skipped-${s.reason}` },
        locations: [{ physicalLocation: physicalLocation({ path: s.path }) }],
      }),
    ),
  ];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            fullName: `Airlock ${report.tool.version}`,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: report.rules.map(sarifRule),
          },
        },
        automationDetails: { id: AUTOMATION_ID },
        invocations: [
          {
            executionSuccessful: report.summary.failedFiles === 0,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(report.root).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results: [
          ...report.findings.map((f) => result(f, ruleIndex, report.baseline ? 'new' : undefined)),
          ...(report.baseline?.known ?? []).map((f) => result(f, ruleIndex, 'unchanged', report.baseline?.path)),
          // SARIF: a run whose results have a baselineState gives every result one.
          ...(report.suppressed ?? []).map((f) => result(f, ruleIndex, report.baseline ? 'new' : undefined)),
        ],
        properties: { summary: report.summary },
      },
    ],
  };
}

function result(f: ReportFinding, ruleIndex: Map<string, number>, baselineState?: Result.baselineState, baselinePath?: string): Result {
  const index = ruleIndex.get(f.ruleId);
  const suppressions = suppressionsOf(f, baselinePath);
  const fx = fixes(f);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f) }],
    ...(f.related?.length
      ? { relatedLocations: f.related.map((r, i): Location => ({ id: i + 1, physicalLocation: physicalLocation(r), message: { text: r.message } })) }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.identity?.fingerprint ?? f.fingerprint },
    ...(baselineState ? { baselineState } : {}),
    ...(suppressions ? { suppressions } : {}),
    ...(fx ? { fixes: fx } : {}),
    properties: {
      family: f.family,
      // The region points into the .ipynb text; where that is inside a cell is said here. (Kept in
      // its own object: consumers read a top-level `properties.cell` as "the region is cell-relative".)
      ...(f.cell !== undefined
        ? {
            notebook: {
              cell: f.cell,
              ...(f.cellLine !== undefined ? { cellLine: f.cellLine } : {}),
              ...(f.output !== undefined ? { output: f.output } : {}),
              ...(f.outputLine !== undefined ? { outputLine: f.outputLine } : {}),
            },
          }
        : {}),
    },
  };
}

export function formatSarif(report: ScanReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
