import { get, type ParsedFile, str } from '../../core';

/** Terraform version constraints, read far enough to know which defaults a provider or module release has. */

export type Version = [number, number, number];

export function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether the newest version a Terraform version constraint allows is below `threshold`: `3.7.0`, `= 3.7.0`,
 * `~> 3.7.0` and `< 3.9` are; `~> 3.0`, `>= 3.0` and no constraint (the latest release) are not.
 */
export function newestBelow(constraint: string, threshold: Version): boolean {
  for (const part of constraint.split(',')) {
    const m = /^\s*(~>|<=|>=|!=|=|<|>)?\s*(v?[\d.]+)/.exec(part);
    if (!m) continue;
    const v = parseVersion(m[2]);
    if (!v) continue;
    const op = m[1] ?? '=';
    const components = m[2].replace(/^v/, '').split('.').filter(Boolean).length;
    if (op === '=' && compare(v, threshold) < 0) return true;
    if (op === '<=' && compare(v, threshold) < 0) return true;
    if (op === '<' && compare(v, threshold) <= 0) return true;
    if (op === '~>') {
      // `~> 3.7.0` allows 3.7.x; `~> 3.7` allows 3.x; `~> 3` allows anything from 3 up.
      if (components >= 3 && compare([v[0], v[1] + 1, 0], threshold) <= 0) return true;
      if (components === 2 && compare([v[0] + 1, 0, 0], threshold) <= 0) return true;
    }
  }
  return false;
}

/** The version constraint the module's `required_providers` gives a provider (`azurerm`, `aws`), if any. */
export function providerConstraint(files: ParsedFile[], provider: string): string | undefined {
  for (const f of files) {
    for (const r of f.resources) {
      if (r.kind !== 'terraform') continue;
      const p = get(get(r.body, 'required_providers'), provider);
      const v = str(get(p, 'version')) ?? str(p);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
