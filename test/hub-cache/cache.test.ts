/** Reading the Hugging Face cache (core/hub-cache.ts) on fake cache folders, and the fixes made from it. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedPinFixes, HubCache, hubCacheRoot, repoFolderName } from '../../core/hub-cache';
import type { HubPin } from '../../core/rule';
import { fakeHubCache, sha } from './fake-cache';

describe('hubCacheRoot', () => {
  it('follows huggingface_hub: HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(hubCacheRoot({ HF_HUB_CACHE: '/c/hub', HF_HOME: '/h' }, '/home/u')).toBe('/c/hub');
    expect(hubCacheRoot({ HUGGINGFACE_HUB_CACHE: '/old' }, '/home/u')).toBe('/old');
    expect(hubCacheRoot({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/h/hub');
    expect(hubCacheRoot({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/huggingface/hub');
    expect(hubCacheRoot({ HF_HUB_CACHE: '' }, '/home/u')).toBe('/home/u/.cache/huggingface/hub');
    expect(hubCacheRoot({ HF_HOME: '~/hf' }, '/home/u')).toBe('/home/u/hf/hub');
  });

  it('names repository folders as huggingface_hub does', () => {
    expect(repoFolderName('model', 'org/name')).toBe('models--org--name');
    expect(repoFolderName('dataset', 'imdb')).toBe('datasets--imdb');
    expect(repoFolderName('space', 'org/demo')).toBe('spaces--org--demo');
  });
});

describe('HubCache', () => {
  const root = fakeHubCache([
    {
      repo: 'org/model',
      snapshots: [
        { sha: sha('1'), at: 1_000 },
        { sha: sha('2'), at: 3_000 },
        { sha: sha('3'), at: 2_000 },
      ],
      refs: { main: sha('2'), 'v1.0': sha('3'), 'pr/7': sha('3') },
    },
    { type: 'dataset', repo: 'squad', snapshots: [{ sha: sha('4'), at: 1_000 }], refs: { main: sha('4') } },
  ]);
  // What huggingface_hub never writes is ignored: a ref that is no commit, a snapshot that is no commit folder.
  const junk = path.join(root, 'models--org--model');
  writeFileSync(path.join(junk, 'refs', 'broken'), 'not a commit');
  mkdirSync(path.join(junk, 'snapshots', 'tmp-download'));
  writeFileSync(path.join(junk, 'snapshots', sha('9')), 'a file, not a folder');

  it('lists snapshots newest first with the refs that resolved to each', () => {
    const commits = new HubCache(root).commits('model', 'org/model');
    expect(commits.map((c) => [c.sha[0], c.refs])).toEqual([
      ['2', ['main']],
      ['3', ['pr/7', 'v1.0']],
      ['1', []],
    ]);
  });

  it('finds the commit a ref resolved to, per repository type', () => {
    const cache = new HubCache(root);
    const pin = (repoType: HubPin['repoType'], repo: string, ref: string): HubPin => ({ repoType, repo, ref, edits: [] });
    expect(cache.commitOf(pin('model', 'org/model', 'v1.0'))?.sha).toBe(sha('3'));
    expect(cache.commitOf(pin('model', 'org/model', 'dev'))).toBeUndefined();
    expect(cache.commitOf(pin('dataset', 'squad', 'main'))?.sha).toBe(sha('4'));
    expect(cache.commitOf(pin('model', 'squad', 'main'))).toBeUndefined();
  });

  it('ignores what huggingface_hub does not write: big ref files, deep ref folders, linked snapshots', () => {
    const odd = fakeHubCache([{ repo: 'org/odd', snapshots: [{ sha: sha('5'), at: 1_000 }] }]);
    const dir = path.join(odd, 'models--org--odd');
    mkdirSync(path.join(dir, 'refs', 'a', 'b', 'c', 'd', 'e', 'f'), { recursive: true });
    writeFileSync(path.join(dir, 'refs', 'a', 'b', 'c', 'd', 'e', 'f', 'deep'), sha('5'));
    writeFileSync(path.join(dir, 'refs', 'big'), `${sha('5')}${' '.repeat(200)}`);
    symlinkSync(path.join(dir, 'snapshots', sha('5')), path.join(dir, 'snapshots', sha('6')));
    expect(new HubCache(odd).commits('model', 'org/odd')).toEqual([{ sha: sha('5'), refs: [], mtimeMs: 1_000_000 }]);
  });

  it('reads nothing for ids that are not one folder name, nor from a missing cache', () => {
    expect(new HubCache(root).commits('model', '../models--org--model')).toEqual([]);
    expect(new HubCache(root).commits('model', 'a/b/c')).toEqual([]);
    expect(new HubCache(path.join(root, 'nowhere')).commits('model', 'org/model')).toEqual([]);
  });

  it('makes one fix per cached commit that writes the full sha where the snippet had its placeholder', () => {
    const pin: HubPin = { repoType: 'model', repo: 'org/model', ref: 'main', edits: [{ span: { start: 5, end: 5 }, newText: ', revision="${1:commit-sha}"' }] };
    const fixes = cachedPinFixes(pin, new HubCache(root));
    expect(fixes.map((f) => f.title)).toEqual([
      `Pin to ${'2'.repeat(12)}… (cached from main)`,
      `Pin to ${'3'.repeat(12)}… (cached from pr/7, v1.0)`,
      `Pin to ${'1'.repeat(12)}… (cached; no branch points to it now)`,
    ]);
    expect(fixes[0]).toMatchObject({
      kind: 'pin-cached-commit',
      safety: 'unsafe',
      edits: [{ span: { start: 5, end: 5 }, newText: `, revision="${sha('2')}"` }],
    });
    expect(fixes[0].snippet).toBeUndefined();
  });
});
