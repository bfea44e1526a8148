import { contentSpan, defineRule, get, helmRole, isMap, isScalar, items, str } from '../../../core';

/** One exact SemVer release: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`, `1.2.3+build`. Anything else is a constraint. */
const EXACT = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export default defineRule({
  id: 'pin/chart-dependency-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['helm'],
  prefilter: { helm: ['dependencies'] },
  fixes: { 'pin-version': 'suggestion' },
  docs: {
    summary:
      'Helm chart dependency (`Chart.yaml` `dependencies`) without a version or with a range (`^1.2.0`, `~1.2`, `>=1.0`, `1.x`) instead of one exact release.',
    why: '`helm dependency update` resolves a range to the newest matching chart in the repository at that moment: two builds of the same commit can package different subcharts, with different images and defaults, and a compromised or careless release of a subchart lands without a change to your chart. `Chart.lock` records what was resolved only if it is committed and never updated blindly.',
    fix: 'Set `version` to one exact release (`version: 12.5.6`), commit `Chart.lock`, and raise the version deliberately (Renovate and Dependabot both update Helm dependencies). Local subcharts (`repository: file://...`) are not reported.',
    fixes: {
      'pin-version': 'Replaces the range with a placeholder for the exact version. Airlock never guesses one.',
    },
    examples: {
      format: 'helm',
      bad: 'dependencies:\n  - name: postgresql\n    version: ^12.0.0\n    repository: https://charts.bitnami.com/bitnami',
      good: 'dependencies:\n  - name: postgresql\n    version: 12.5.6\n    repository: https://charts.bitnami.com/bitnami',
    },
  },
  check({ file, report }) {
    if (helmRole(file) !== 'chart') return;
    for (const dep of items(get(file.resources[0].body, 'dependencies'))) {
      if (!isMap(dep)) continue;
      const name = str(get(dep, 'name')) ?? 'dependency';
      const repository = str(get(dep, 'repository')) ?? '';
      // A subchart in the same repository is versioned with the chart itself.
      if (repository.startsWith('file://')) continue;
      const version = get(dep, 'version');
      const constraint = str(version)?.trim();
      if (!isScalar(version) || constraint === undefined || constraint === '') {
        const at = get(dep, 'name') ?? dep;
        report({ span: contentSpan(at), message: `Chart dependency "${name}" has no version: every dependency update takes its newest release` });
        continue;
      }
      if (EXACT.test(constraint)) continue;
      report({
        span: contentSpan(version),
        message: `Chart dependency "${name}" accepts a range of versions ("${constraint}"): the next dependency update may take a newer release`,
        fixes: [
          {
            title: 'Pin one exact version',
            kind: 'pin-version',
            safety: 'suggestion',
            snippet: true,
            edits: [{ span: contentSpan(version), newText: '${1:x.y.z}' }],
          },
        ],
      });
    }
  },
});
