/**
 * Layout variants of a fixture: the same content with CRLF line endings, tab or four-space indentation,
 * minified JSON, or YAML collections in flow style. A fix must work on each the way it works on the fixture
 * as written, and write the same thing there up to layout.
 */
import { isCollection, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';

export interface Variant {
  name: string;
  text: string;
  crlf: boolean;
  tabs: boolean;
  /**
   * The text this variant was made from, and how a fix's result on it relates to the same fix's result
   * here: the same text once `layout` is applied to it, or the same data once both are parsed.
   */
  base?: { text: string; layout?: (text: string) => string; data?: (text: string) => unknown };
}

export const toCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** The smallest indentation of any line: the file's indentation unit. */
function indentUnit(text: string): number {
  let unit = 0;
  for (const m of text.matchAll(/^( +)\S/gm)) if (unit === 0 || m[1].length < unit) unit = m[1].length;
  return unit;
}

/** Each line's leading spaces as tabs, one per unit (a remainder stays spaces, as alignment). */
const toTabs = (unit: number) => (text: string) =>
  text.replace(/^( +)(?=\S)/gm, (lead: string) => '\t'.repeat(Math.floor(lead.length / unit)) + ' '.repeat(lead.length % unit));

/** Each line's leading spaces doubled: two-space indentation becomes four. */
const doubled = (text: string) => text.replace(/^( +)(?=\S)/gm, '$1$1');

function minified(text: string): string | undefined {
  try {
    const out = JSON.stringify(JSON.parse(text));
    return out === text ? undefined : out;
  } catch {
    return undefined;
  }
}

/** Every YAML document as data (tags of other tools read as plain values, the same on both sides). */
function yamlData(text: string): unknown {
  return parseAllDocuments(text, { prettyErrors: false, logLevel: 'silent' } as const).map((d) => d.toJS({ maxAliasCount: -1 }));
}

/**
 * The YAML written again by the `yaml` library: with `flow`, the collections it picks in flow style
 * (Kubernetes `env` sequences and CloudFormation `Properties`, or every collection below the top level);
 * with `indent`, block collections indented by that many spaces.
 */
function rewritten(text: string, flow: 'env-and-properties' | 'nested' | undefined, indent = 2): string | undefined {
  if (text.includes('{{')) return undefined;
  const docs = parseAllDocuments(text, { prettyErrors: false, logLevel: 'silent' } as const);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  let changed = indent !== 2;
  for (const doc of docs) {
    visit(doc, {
      Pair(_, pair, path) {
        if (!flow || !isScalar(pair.key) || !isCollection(pair.value) || pair.value.flow) return;
        const pick =
          flow === 'nested' ? path.length > 2 : (pair.key.value === 'env' && isSeq(pair.value)) || (pair.key.value === 'Properties' && isMap(pair.value));
        if (pick) {
          pair.value.flow = true;
          changed = true;
        }
      },
    });
  }
  return changed ? docs.map((d) => d.toString({ lineWidth: 0, indent })).join('') : undefined;
}

export function variantsOf(name: string, text: string): Variant[] {
  const out: Variant[] = [{ name: 'as written', text, crlf: false, tabs: false }];
  if (text.includes('\r')) return out;
  const withCrlf = (v: Variant): Variant => ({
    name: v.name === 'as written' ? 'CRLF' : `${v.name}+CRLF`,
    text: toCrlf(v.text),
    crlf: true,
    tabs: v.tabs,
    base: { text: v.text, layout: toCrlf },
  });
  out.push(withCrlf(out[0]));
  const ext = name.slice(name.lastIndexOf('.'));
  const json = ext === '.json' || ext === '.ipynb';
  const unit = indentUnit(text);
  if ((json || ext === '.tf') && unit > 0) {
    const tabs: Variant = { name: 'tabs', text: toTabs(unit)(text), crlf: false, tabs: true, base: { text, layout: toTabs(unit) } };
    out.push(tabs, withCrlf(tabs));
    if (unit === 2) out.push({ name: 'four spaces', text: doubled(text), crlf: false, tabs: false, base: { text, layout: doubled } });
  }
  const min = json ? minified(text) : undefined;
  if (min) out.push({ name: 'minified', text: min, crlf: false, tabs: false, base: { text, data: JSON.parse } });
  if (ext === '.yaml' || ext === '.yml') {
    for (const which of ['env-and-properties', 'nested'] as const) {
      const flow = rewritten(text, which);
      if (!flow) continue;
      const v: Variant = { name: `flow ${which}`, text: flow, crlf: false, tabs: false, base: { text, data: yamlData } };
      out.push(v, withCrlf(v));
    }
    const four = rewritten(text, undefined, 4);
    if (four) out.push({ name: 'four spaces', text: four, crlf: false, tabs: false, base: { text, data: yamlData } });
  }
  return out;
}
