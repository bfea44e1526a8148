import { contentSpan, defineRule, entry, get, inFileStyle, isList, isMap, lineIndexOf, str } from '../../../core';

/** An exact chart version: SemVer 2, optionally written with a `v`. Anything else (`^1.2`, `~1`, `>=2`, `*`, `1.x`) is a range. */
const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export default defineRule({
  id: 'pin/chart-version-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['kustomize'],
  prefilter: { kustomize: ['helmCharts'] },
  fixes: { 'pin-version': 'suggestion' },
  docs: {
    summary:
      'Helm chart pulled from a repository without an exact version: a kustomization `helmCharts` entry with a `repo` and no `version`, or a range (`^1.2`, `~1`, `>=2`, `*`). The one rule for chart versions: chart dependencies of other formats are meant to report here too.',
    why: 'Without an exact version, `kustomize build --enable-helm` inflates whatever the repository serves as the latest matching chart: a new chart release silently changes the rendered manifests (images, RBAC, defaults) on the next build, and two builds of the same commit can deploy different things.',
    fix: 'Set `version` to the exact chart version you tested (`helm search repo <chart> --versions` lists them), and update it deliberately.',
    fixes: {
      'pin-version': 'Adds or replaces `version` with a placeholder for the exact chart version. Airlock never guesses a version.',
    },
    examples: {
      format: 'kustomize',
      bad: 'helmCharts:\n  - name: qdrant\n    repo: https://qdrant.github.io/qdrant-helm',
      good: 'helmCharts:\n  - name: qdrant\n    repo: https://qdrant.github.io/qdrant-helm\n    version: 1.12.1',
    },
  },
  check({ file, report }) {
    for (const root of file.roots) {
      const charts = get(root, 'helmCharts');
      for (const chart of isList(charts) ? charts.items : []) {
        // A chart without a repository is read from the chart home folder, next to the kustomization.
        if (!isMap(chart) || !str(get(chart, 'repo'))) continue;
        const name = entry(chart, 'name');
        const version = entry(chart, 'version');
        const label = str(name?.value) ?? 'chart';
        if (version) {
          const v = str(version.value)?.trim() ?? '';
          if (EXACT.test(v)) continue;
          const span = contentSpan(version.value);
          report({
            span,
            message: `Helm chart "${label}" has the version ${v ? `range "${v}"` : 'left empty'}: each build inflates whatever matching release the repository serves last`,
            fixes: [
              {
                title: 'Pin an exact chart version',
                kind: 'pin-version',
                safety: 'suggestion',
                snippet: true,
                edits: [{ span: version.value.span, newText: '${1:x.y.z}' }],
              },
            ],
          });
          continue;
        }
        if (!name) continue;
        // A block mapping: the `version` line goes after the `name` line, at its column.
        const block = file.text.charCodeAt(chart.span.start) !== 123;
        const column = lineIndexOf(file.text).position(name.keySpan.start).character;
        report({
          span: contentSpan(name.value),
          message: `Helm chart "${label}" has no version: each build inflates the latest release the repository serves`,
          fixes: block
            ? [
                {
                  title: 'Pin an exact chart version',
                  kind: 'pin-version',
                  safety: 'suggestion',
                  snippet: true,
                  edits: [
                    {
                      span: { start: name.value.span.end, end: name.value.span.end },
                      newText: inFileStyle(file, `\n${' '.repeat(column)}version: \${1:x.y.z}`),
                    },
                  ],
                },
              ]
            : [],
        });
      }
    }
  },
});
