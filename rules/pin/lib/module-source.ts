/**
 * Terraform module sources (https://developer.hashicorp.com/terraform/language/modules/sources), read the
 * way `terraform init` reads them (and Terragrunt's `terraform { source }`, which takes the same syntax and its own `tfr://`
 * registry protocol): what kind of source it is and what, if anything, pins it.
 */

import { FULL_COMMIT, SHORT_COMMIT } from './git-refs';

/** A `module "name" {` block (a quoted or bare label), not a `module.name` reference. */
export const MODULE_BLOCK = /\bmodule\s*(?:"|[A-Za-z_][\w-]*\s*\{)/;

/** A query parameter's value (decoded) and its offsets in the source string. */
export interface QueryValue {
  value: string;
  start: number;
  end: number;
}

export type ModuleSource =
  | { kind: 'local' }
  /** A git (or Mercurial) repository; `ref` is the `?ref=` (`?rev=` for hg) value and where it sits in the string. */
  | { kind: 'git'; ref?: QueryValue }
  /** A module registry address: `namespace/name/provider`, optionally behind a registry host. */
  | { kind: 'registry' }
  /**
   * Terragrunt's registry protocol, `tfr://[host]/namespace/name/provider[//subdir]?version=X`; `version` is the query's
   * value and where it sits in the string (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#terraform).
   */
  | { kind: 'tfr'; version?: QueryValue }
  /** HTTP archives, S3, GCS and anything else: fixed URLs, nothing for a version to attach to. */
  | { kind: 'other' };

/** go-getter's git forms: forced `git::`, scp-like `git@host:`, and the GitHub / Bitbucket shorthands. */
const GIT = /^(?:git::|hg::|git@|(?:ssh|git):\/\/|(?:www\.)?(?:github\.com|bitbucket\.org|gitlab\.com)\/)/i;
/** `[host/]namespace/name/provider[//subdir]`; the host, when present, is a domain name. */
const REGISTRY = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)?[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9][A-Za-z0-9_-]*\/[a-z0-9]+(?:\/\/[^?]*)?$/;

export function classifySource(source: string): ModuleSource {
  const s = source.trim();
  if (/^\.{1,2}[/\\]/.test(s) || /^(?:\/|[A-Za-z]:\\)/.test(s)) return { kind: 'local' };
  if (GIT.test(s)) return { kind: 'git', ref: queryValue(s, /^hg::/i.test(s) ? 'rev' : 'ref') };
  if (/^tfr:\/\//i.test(s)) return { kind: 'tfr', version: queryValue(s, 'version') };
  if (/^[a-z0-9]+::/i.test(s) || /^https?:\/\//i.test(s)) return { kind: 'other' };
  if (REGISTRY.test(s)) return { kind: 'registry' };
  return { kind: 'other' };
}

/** The value of the query parameter `param` of a URL-like source, where it sits in the string. */
function queryValue(s: string, param: string): QueryValue | undefined {
  const q = s.indexOf('?');
  if (q < 0) return undefined;
  let pos = q + 1;
  for (const part of s.slice(q + 1).split('&')) {
    if (part.startsWith(`${param}=`)) {
      const start = pos + param.length + 1;
      const end = pos + part.length;
      return { value: decodeURIComponentSafe(s.slice(start, end)), start, end };
    }
    pos += part.length + 1;
  }
  return undefined;
}

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** A release tag: a version number somewhere in it (`v5.0.0`, `1.2`, `release-2.3.1`). */
const VERSION_TAG = /\d+\.\d+/;

/**
 * Whether a git ref pins the module: a commit (abbreviated ones included: no branch is named like one), or a tag
 * carrying a version number. Anything else
 * (`main`, `master`, `develop`, `some_branch_name`, a bare major tag `v1`) can move.
 */
export function refIsPinned(ref: string): boolean {
  return FULL_COMMIT.test(ref) || SHORT_COMMIT.test(ref) || VERSION_TAG.test(ref);
}

/**
 * Whether a registry `version` constraint selects exactly one release: `1.2.3`, `= 1.2.3`, `v1.2.3`.
 * Operators (`~>`, `>=`, `>`, `<`, `!=`) and lists of constraints are ranges.
 */
export function isExactVersion(constraint: string): boolean {
  return /^\s*=?\s*v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\s*$/.test(constraint);
}
