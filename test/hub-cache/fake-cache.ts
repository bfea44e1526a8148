import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoFolderName } from '../../core/hub-cache';
import type { HubRepoType } from '../../core/rule';

/** A Hugging Face cache laid out as huggingface_hub writes it, in a temporary folder. */

export interface FakeRepo {
  type?: HubRepoType;
  repo: string;
  /** Snapshot commits, each with the time (seconds since 1970) its folder was made. */
  snapshots: { sha: string; at: number }[];
  /** `refs/<name>` → commit. */
  refs?: Record<string, string>;
}

export const sha = (c: string) => c.repeat(40);

export function fakeHubCache(repos: FakeRepo[], root = mkdtempSync(path.join(tmpdir(), 'airlock-hf-'))): string {
  for (const r of repos) {
    const dir = path.join(root, repoFolderName(r.type ?? 'model', r.repo));
    for (const [name, commit] of Object.entries(r.refs ?? {})) {
      mkdirSync(path.dirname(path.join(dir, 'refs', name)), { recursive: true });
      writeFileSync(path.join(dir, 'refs', name), commit);
    }
    for (const s of r.snapshots) {
      const snap = path.join(dir, 'snapshots', s.sha);
      mkdirSync(snap, { recursive: true });
      writeFileSync(path.join(snap, 'config.json'), '{}');
      utimesSync(snap, s.at, s.at);
    }
  }
  return root;
}
