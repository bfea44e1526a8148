/**
 * Layout variants of a fixture: the same content with CRLF line endings, tab indentation, minified JSON or
 * flow-style YAML collections. A fix must work on each the way it works on the fixture as written.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';

export interface Variant {
  name: string;
  text: string;
  crlf: boolean;
  tabs: boolean;
  /** For a CRLF variant, the same text with LF: fixes must do the same on both, but for the line endings. */
  lf?: string;
}

export const toCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** The smallest indentation of any line: the file's indentation unit. */
function indentUnit(text: string): number {
  let unit = 0;
  for (const m of text.matchAll(/^( +)\S/gm)) if (unit === 0 || m[1].length < unit) unit = m[1].length;
  return unit;
}

/** Each line's leading spaces as tabs, one per unit (a remainder stays spaces, as alignment). */
function toTabs(text: string): string | undefined {
  const unit = indentUnit(text);
  if (unit === 0) return undefined;
  return text.replace(/^( +)(?=\S)/gm, (lead: string) => '\t'.repeat(Math.floor(lead.length / unit)) + ' '.repeat(lead.length % unit));
}

function minified(text: string): string | undefined {
  try {
    const out = JSON.stringify(JSON.parse(text));
    return out === text ? undefined : out;
  } catch {
    return undefined;
  }
}

/**
 * Kubernetes `env` sequences and CloudFormation resources' `Properties` (and the mappings directly in them)
 * written in flow style: `env: [ { name: A, value: b } ]`, `Properties: { BucketName: x, ... }`.
 */
function flowStyle(text: string): string | undefined {
  if (text.includes('{{')) return undefined;
  const docs = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  let changed = false;
  for (const doc of docs) {
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key)) return;
        if ((pair.key.value === 'env' && isSeq(pair.value)) || (pair.key.value === 'Properties' && isMap(pair.value))) {
          pair.value.flow = true;
          changed = true;
        }
      },
    });
  }
  if (!changed) return undefined;
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

export function variantsOf(name: string, text: string): Variant[] {
  const out: Variant[] = [{ name: 'as written', text, crlf: false, tabs: false }];
  if (text.includes('\r')) return out;
  out.push({ name: 'CRLF', text: toCrlf(text), crlf: true, tabs: false, lf: text });
  const ext = name.slice(name.lastIndexOf('.'));
  const json = ext === '.json' || ext === '.ipynb';
  if (json || ext === '.tf' || ext === '.hcl') {
    const tabs = toTabs(text);
    if (tabs) {
      out.push({ name: 'tabs', text: tabs, crlf: false, tabs: true });
      out.push({ name: 'tabs+CRLF', text: toCrlf(tabs), crlf: true, tabs: true, lf: tabs });
    }
  }
  if (json) {
    const min = minified(text);
    if (min) out.push({ name: 'minified', text: min, crlf: false, tabs: false });
  }
  if (ext === '.yaml' || ext === '.yml') {
    const flow = flowStyle(text);
    if (flow) {
      out.push({ name: 'flow', text: flow, crlf: false, tabs: false });
      out.push({ name: 'flow+CRLF', text: toCrlf(flow), crlf: true, tabs: false, lf: flow });
    }
  }
  return out;
}
