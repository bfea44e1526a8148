import {
  contentSpan,
  defineRule,
  entry,
  type Fix,
  get,
  helmRole,
  inFileStyle,
  isList,
  isMap,
  isScalar,
  items,
  lineIndexOf,
  type Node,
  type RuleContext,
  str,
} from '../../../core';

/** One exact SemVer release: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`, `1.2.3+build`. Anything else (`^1.2`, `~1`, `>=2`, `*`, `1.x`) is a range. */
const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

type PinFix = Fix<'pin-version'>;

function replaceVersion(version: Node): PinFix {
  return {
    title: 'Pin an exact chart version',
    kind: 'pin-version',
    safety: 'suggestion',
    snippet: true,
    edits: [{ span: contentSpan(version), newText: '${1:x.y.z}' }],
  };
}

/** Helm: `Chart.yaml` `dependencies` (local `file://` subcharts are versioned with the chart itself). */
function chartDependencies({ file, report }: RuleContext<'pin-version'>): void {
  if (helmRole(file) !== 'chart') return;
  for (const dep of items(get(file.resources[0].body, 'dependencies'))) {
    if (!isMap(dep)) continue;
    const name = str(get(dep, 'name')) ?? 'dependency';
    if ((str(get(dep, 'repository')) ?? '').startsWith('file://')) continue;
    const version = get(dep, 'version');
    const constraint = str(version)?.trim();
    if (!isScalar(version) || constraint === undefined || constraint === '') {
      report({
        span: contentSpan(get(dep, 'name') ?? dep),
        message: `Chart dependency "${name}" has no version: every dependency update takes its newest release`,
      });
    } else if (!EXACT.test(constraint)) {
      report({
        span: contentSpan(version),
        message: `Chart dependency "${name}" accepts a range of versions ("${constraint}"): the next dependency update may take a newer release`,
        fixes: [replaceVersion(version)],
      });
    }
  }
}

/** Kustomize: `helmCharts` entries with a `repo` (a chart without one is read from the chart home folder). */
function kustomizeCharts({ file, report }: RuleContext<'pin-version'>): void {
  for (const root of file.roots) {
    const charts = get(root, 'helmCharts');
    for (const chart of isList(charts) ? charts.items : []) {
      if (!isMap(chart) || !str(get(chart, 'repo'))) continue;
      const name = entry(chart, 'name');
      const version = entry(chart, 'version');
      const label = str(name?.value) ?? 'chart';
      if (version) {
        const v = str(version.value)?.trim() ?? '';
        if (EXACT.test(v)) continue;
        report({
          span: contentSpan(version.value),
          message: `Helm chart "${label}" has the version ${v ? `range "${v}"` : 'left empty'}: each build inflates whatever matching release the repository serves last`,
          fixes: [{ ...replaceVersion(version.value), edits: [{ span: version.value.span, newText: '${1:x.y.z}' }] }],
        });
        continue;
      }
      if (!name) continue;
      // A block mapping: the `version` line goes after the `name` line, at its column.
      const block = file.text.charCodeAt(chart.span.start) !== 123;
      const column = lineIndexOf(file.text).position(name.keySpan.start).character;
      const at = { start: name.value.span.end, end: name.value.span.end };
      report({
        span: contentSpan(name.value),
        message: `Helm chart "${label}" has no version: each build inflates the latest release the repository serves`,
        fixes: block
          ? [{ ...replaceVersion(name.value), edits: [{ span: at, newText: inFileStyle(file, `\n${' '.repeat(column)}version: \${1:x.y.z}`) }] }]
          : [],
      });
    }
  }
}

export default defineRule({
  id: 'pin/chart-version-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['helm', 'kustomize'],
  prefilter: { helm: ['dependencies'], kustomize: ['helmCharts'] },
  fixes: { 'pin-version': 'suggestion' },
  docs: {
    summary:
      'Helm chart taken from a repository without one exact version: a `Chart.yaml` dependency, or a kustomization `helmCharts` entry with a `repo`, with no `version` or a range (`^1.2.0`, `~1.2`, `>=1.0`, `1.x`, `*`).',
    why: '`helm dependency update` and `kustomize build --enable-helm` resolve a range to the newest matching chart in the repository at that moment: two builds of the same commit can package or inflate different charts, with different images, RBAC and defaults, and a compromised or careless release lands without a change to your repository. `Chart.lock` records what was resolved only if it is committed and never updated blindly.',
    fix: 'Set `version` to one exact release you tested (`helm search repo <chart> --versions` lists them), commit `Chart.lock`, and raise the version deliberately (Renovate and Dependabot both update Helm charts). Local subcharts (`repository: file://...`) are not reported.',
    fixes: {
      'pin-version': 'Adds or replaces `version` with a placeholder for the exact chart version. Airlock never guesses a version.',
    },
    examples: {
      format: 'helm',
      bad: 'dependencies:\n  - name: postgresql\n    version: ^12.0.0\n    repository: https://charts.bitnami.com/bitnami',
      good: 'dependencies:\n  - name: postgresql\n    version: 12.5.6\n    repository: https://charts.bitnami.com/bitnami',
    },
  },
  check(ctx) {
    if (ctx.file.format === 'helm') chartDependencies(ctx);
    else kustomizeCharts(ctx);
  },
});
