/**
 * The secret rule's readers of CI/CD and operations files (round 21): the scripts of CI jobs and Ansible tasks in YAML
 * and JSON text, a Jenkins pipeline's `sh` steps, `NAME=value` pairs later on a line (an Ansible inventory), systemd
 * `Environment=` lists, server directives (`SetEnv`, `fastcgi_param`, PHP-FPM `env[...]`), HAProxy, preseed and
 * kickstart passwords, environment-assignment strings and Ruby settings in code, a `key` beside its account in an INI
 * section, Packer variable defaults, `.pgpass` entries and web servers' header directives. Each finds what it
 * should, and each takes time linear in the text from N to 4N on hostile input: unclosed quotes and triple quotes,
 * long lines of pairs and of `=`, long names, deep and wide script lists, sections without an end.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../core';
import { ciScripts, ciScriptSpans, pipelineStepScripts } from '../rules/secret/lib/ci-scripts';
import { lineAssignments } from '../rules/secret/lib/lines';
import { accountKeys, hclVariableDefaults, pgpassEntries } from '../rules/secret/lib/section-sites';
import { isMakefile, isPipelineScriptFile, textKindOf } from '../rules/secret/lib/text-kind';
import { findTokens } from '../rules/secret/lib/tokens';
import { growthFrom, growthFromAsync, LINEAR_GROWTH_LIMIT } from './hostile/scaling';

const count = (it: Iterable<unknown>) => [...it].length;
const pairs = (text: string, laterPairs = true) => [...lineAssignments(text, { laterPairs })].map((a) => [a.key, a.value]);

describe('CI/CD and operations readers', () => {
  it('read script keys, pipeline steps, later pairs, unit environments and directives', () => {
    const yaml = 'job:\n  script:\n    - docker login -p x\n  variables:\n    NOTE: docker login\nplay:\n  ansible.builtin.shell: mysql -px\n';
    const spans = ciScriptSpans(parseYamlDocuments('ci.yml', yaml, 'text').roots, yaml);
    expect(spans.map((s) => yaml.slice(s.start, s.end))).toEqual(['docker login -p x', 'mysql -px']);
    const groovy = `sh 'a'\nsh(script: "b", returnStdout: true)\nbat '''c\n'''\nfinish 'd'\nsh "e \\" f"\n`;
    expect(pipelineStepScripts(groovy).map((s) => groovy.slice(s.start, s.end))).toEqual(['a', 'b', 'c\n', 'e \\" f']);
    expect(pairs('db01 ansible_host=10.0.0.5 ansible_become_pass=Tz5n\n# h ansible_password=x\nrun -e DB_PASSWORD=y\n  4 | TOKEN=z\n')).toEqual([
      ['ansible_host', '10.0.0.5'],
      ['ansible_become_pass', 'Tz5n'],
    ]);
    expect(pairs('export A=1 B=2\n', true)).toEqual([
      ['B', '2'],
      ['A', '1'],
    ]);
    expect(pairs('Environment="DB_PASSWORD=a b" LOG=info \'TOKEN=c\' X=%d/y\n', false)).toEqual([
      ['DB_PASSWORD', 'a b'],
      ['LOG', 'info'],
      ['TOKEN', 'c'],
    ]);
    expect(pairs('SetEnv DB_PASSWORD s3\nfastcgi_param APP_SECRET "q r";\nenv[REDIS_PASSWORD] = t\nTOKEN ?= u\nKEY := v\n', false)).toEqual([
      ['DB_PASSWORD', 's3'],
      ['APP_SECRET', 'q r'],
      ['REDIS_PASSWORD', 't'],
      ['TOKEN', 'u'],
      ['KEY', 'v'],
    ]);
  });

  it('read folded scripts, keyword passwords, environment strings and Ruby settings', () => {
    const yaml = 'job:\n  script:\n    - >\n      docker login -p x\n      registry\n    - docker login\n      -p y r\n';
    const scripts = ciScripts(parseYamlDocuments('ci.yml', yaml, 'text').roots, yaml);
    expect(scripts.spans.map((s) => scripts.text.slice(s.start, s.end))).toEqual(['docker login -p x       registry', 'docker login       -p y r']);
    expect(scripts.text.length).toBe(yaml.length);
    expect(
      pairs('user ops insecure-password a1\nstats auth admin:b2\nd-i passwd/user-password password c3\nrootpw --plaintext d4\nrootpw --lock\n', false),
    ).toEqual([
      ['insecure-password', 'a1'],
      ['stats auth', 'admin:b2'],
      ['password', 'c3'],
      ['root password', 'd4'],
    ]);
    const code = (text: string) => [...lineAssignments(text, { quotedOnly: true })].map((a) => [a.key, a.value]);
    expect(code('withEnv(["DB_PASSWORD=e5", "PATH+X=/bin"]) {\n')).toEqual([['DB_PASSWORD', 'e5']]);
    expect(code('set :repo_password, "f6"\nknife[:aws_secret_access_key] = "g7"\n')).toEqual([
      ['repo_password', 'f6'],
      ['aws_secret_access_key', 'g7'],
    ]);
  });

  it('read sections, Packer variables and .pgpass entries, and tell the files they apply to', () => {
    expect([...accountKeys('[b2]\naccount = 001\nkey = K001Rq7vX2mTz9Lb\n[c]\nkey = K001Rq7vX2mTz9Lb\n')].map((k) => k.value)).toEqual(['K001Rq7vX2mTz9Lb']);
    const hcl = 'variable "a" {\n  default = "x"\n  validation {\n  }\n  sensitive = true\n}\nvariable "b" {\n  default = "y"\n}\n';
    expect([...hclVariableDefaults(hcl)].map((d) => [d.key, d.value, d.sensitive])).toEqual([
      ['a', 'x', true],
      ['b', 'y', false],
    ]);
    expect([...pgpassEntries('h:5432:d:u:pw1\necho "*:*:*:u:pw\\:2" >> ~/.pgpass\n12:30:45\n')].map((e) => e.value)).toEqual(['pw1', 'pw\\:2']);
    expect(['Vagrantfile', 'Jenkinsfile', 'Jenkinsfile.release', 'ci/Gemfile', 'x.jenkinsfile'].map(textKindOf)).toEqual([
      'code',
      'code',
      'code',
      'code',
      'code',
    ]);
    expect(['Makefile', 'GNUmakefile', 'rules.mk', 'Makefile.am'].map(isMakefile)).toEqual([true, true, true, false]);
    expect(['Jenkinsfile', 'vars/deploy.groovy', 'Jenkinsfile.ci', 'build.gradle'].map(isPipelineScriptFile)).toEqual([true, true, true, false]);
  });

  it('find credentials in header directives of web servers', async () => {
    const conf =
      'proxy_set_header Authorization "Bearer 9f3cQ1a7e5b2d8064c1f";\nRequestHeader set X-Api-Key "Kq9mT4vX7zLn2RbW"\nproxy_set_header X-Api-Key $api_key;\n';
    expect((await findTokens(conf)).map((h) => conf.slice(h.start, h.end))).toEqual(['9f3cQ1a7e5b2d8064c1f', 'Kq9mT4vX7zLn2RbW']);
  });

  it('take time linear in the text on hostile input', async () => {
    const cases: [string, (text: string) => number][] = [
      ['h a=1 b="2" c=\'3 ', (t) => count(lineAssignments(t, { laterPairs: true }))],
      [`x ${'k'.repeat(130)}=`, (t) => count(lineAssignments(t, { laterPairs: true }))],
      ['a =(b ', (t) => count(lineAssignments(t, { laterPairs: true }))],
      ['Environment="A=1 B=\'2 ', (t) => count(lineAssignments(`Environment=${t}`))],
      ["sh '''sh \"x sh 'y ", (t) => pipelineStepScripts(t).length],
      ['sh "\\\n', (t) => pipelineStepScripts(t).length],
      ['[s]\nuser = u\nkey = K001Rq7vX2mTz9Lb\n', (t) => count(accountKeys(t))],
      ['variable "v" {\n  default = "x"\n  a {\n', (t) => count(hclVariableDefaults(t))],
      ['h:1:d:u:p\\', (t) => count(pgpassEntries(t))],
      ['a:1:b:c:d >> x', (t) => count(pgpassEntries(t))],
      ['"A=b" "C=', (t) => count(lineAssignments(t, { quotedOnly: true }))],
      ['set :a, "b', (t) => count(lineAssignments(t, { quotedOnly: true }))],
      ['user u insecure-password ', (t) => count(lineAssignments(t))],
      ['d-i a/b password ', (t) => count(lineAssignments(t))],
      ['stats auth a:', (t) => count(lineAssignments(t))],
    ];
    for (const [unit, read] of cases) {
      const text = unit.repeat(40_000);
      expect(
        growthFrom(5_000, (n) => {
          read(text.slice(0, n * 8));
        }),
        unit,
      ).toBeLessThan(LINEAR_GROWTH_LIMIT);
    }
  });

  it('read script trees and header directives in time linear in the text', async () => {
    expect(
      growthFrom(500, (n) => {
        const yaml = `job:\n  script:\n${'    - docker login -u ci -p x registry\n'.repeat(n)}  after_script:\n${'    - - [a, b]\n'.repeat(n)}`;
        ciScriptSpans(parseYamlDocuments('ci.yml', yaml, 'text').roots, yaml);
        const folded = `job:\n  script:\n${'    - >\n      docker login -p x\n      registry\n'.repeat(n)}`;
        ciScripts(parseYamlDocuments('ci.yml', folded, 'text').roots, folded);
      }),
    ).toBeLessThan(LINEAR_GROWTH_LIMIT);
    expect(
      await growthFromAsync(2_000, async (n) => {
        await findTokens('proxy_set_header X-Api-Key RequestHeader set Authorization Bearer '.repeat(n));
      }),
    ).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
