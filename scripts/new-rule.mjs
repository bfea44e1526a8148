#!/usr/bin/env node
/**
 * Scaffolds a rule: `npm run new-rule -- <family>/<rule-name> [--root DIR]`.
 *
 * Writes `rules/<family>/<rule-name>/` with a working Terraform rule (a resource type, an argument and the
 * value that is reported, as constants to edit), a positive and a negative fixture, `expected.json` with the
 * exact range of the positive fixture's finding, and adds the rule to the sorted list in `rules/index.ts`.
 * The scaffold passes the rule harness as written; edit the constants, the docs, the fixtures and
 * `expected.json` together, then run `npm test` (which writes the new snapshot) and `npm run docs`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const FAMILIES = ['secret', 'storage', 'network', 'pin', 'data'];
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: { root: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 1) fail('usage: npm run new-rule -- <family>/<rule-name>');
const id = positionals[0];
const [family, name, ...rest] = id.split('/');
if (rest.length || !FAMILIES.includes(family)) fail(`"${id}": the id is <family>/<rule-name>, the family one of ${FAMILIES.join(', ')}`);
if (!NAME.test(name ?? '')) fail(`"${name}": a rule name is kebab-case (lower-case words joined by -), naming the bad pattern`);

const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
const indexFile = path.join(root, 'rules', 'index.ts');
const dir = path.join(root, 'rules', family, name);
if (!existsSync(indexFile)) fail(`${indexFile} not found`);
if (existsSync(dir)) fail(`${path.relative(root, dir)} already exists`);

const camel = id.replace(/[/-]([a-z0-9])/g, (_, c) => c.toUpperCase());

const rule = `import { bool, contentSpan, defineRule, get } from '../../../core';

/** What the rule reads: a resource type, one of its arguments, and the value that is reported. */
const RESOURCE_TYPE = 'aws_example_service';
const ARGUMENT = 'public_endpoint';

export default defineRule({
  id: '${id}',
  family: '${family}',
  severity: 'warning',
  formats: ['terraform'],
  // A scan parses only files that hold one of these strings.
  prefilter: { terraform: [RESOURCE_TYPE] },
  docs: {
    summary: \`\\\`\${RESOURCE_TYPE}\\\` with \\\`\${ARGUMENT} = true\\\`: the service answers on the public internet.\`,
    why: 'A service reachable from the whole internet is found by scanners within minutes; every weakness in it is then exploitable by anyone.',
    fix: \`Set \\\`\${ARGUMENT} = false\\\` and reach the service through a private network or an authenticated gateway.\`,
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.kind !== 'resource' || r.type !== RESOURCE_TYPE) continue;
      const value = get(r.body, ARGUMENT);
      if (value && bool(value) === true) {
        report({ span: contentSpan(value), message: \`\${r.type}.\${r.name} sets \${ARGUMENT} = true: the service answers on the public internet\` });
      }
    }
  },
});
`;

const positive = `resource "aws_example_service" "api" {
  name            = "api"
  public_endpoint = true
}
`;
const negative = `resource "aws_example_service" "api" {
  name            = "api"
  public_endpoint = false
}
`;
const expected = `{
  "positive.tf": [
    {"range": "3:21-3:25"}
  ]
}
`;

mkdirSync(path.join(dir, 'fixtures'), { recursive: true });
writeFileSync(path.join(dir, 'rule.ts'), rule);
writeFileSync(path.join(dir, 'fixtures', 'positive.tf'), positive);
writeFileSync(path.join(dir, 'fixtures', 'negative.tf'), negative);
writeFileSync(path.join(dir, 'fixtures', 'expected.json'), expected);

// The registry: one import and one list entry, each kept in order.
const lines = readFileSync(indexFile, 'utf8').split('\n');
const importLine = `import ${camel} from './${id}/rule';`;
const imports = lines.filter((l) => /^import \w+ from '\.\//.test(l));
const beforeImport = imports.find((l) => l.localeCompare(importLine) > 0);
lines.splice(beforeImport ? lines.indexOf(beforeImport) : lines.indexOf(imports.at(-1)) + 1, 0, importLine);
const listStart = lines.indexOf('const LIST: Rule[] = [');
const listEnd = lines.indexOf('];', listStart);
if (listStart < 0 || listEnd < 0) fail(`${indexFile}: no "const LIST: Rule[] = [" list to add the rule to`);
let at = listEnd;
for (let i = listStart + 1; i < listEnd; i++) {
  if (lines[i].trim().replace(/,$/, '').localeCompare(camel) > 0) {
    at = i;
    break;
  }
}
lines.splice(at, 0, `  ${camel},`);
writeFileSync(indexFile, lines.join('\n'));

process.stdout.write(
  `Created ${path.relative(root, dir)}/ (rule.ts, fixtures/positive.tf, fixtures/negative.tf, fixtures/expected.json) and listed it in rules/index.ts.\n` +
    'Next: edit the rule, its docs and fixtures together; `npm test` writes its snapshot; `npm run docs` adds it to the docs.\n',
);
