import { detectFormat, isJsonText } from './detect';
import type { Format, ParsedFile } from './model';
import { parseNotebook } from './adapters/notebook';
import { parseTerraformFile } from './adapters/terraform';
import { parseJsonDocument } from './adapters/json';
import { parseYamlDocuments } from './adapters/yaml';
import { plainTextFile } from './adapters/text';
import { loadGrammar, type GrammarName } from './wasm';

/** The tree-sitter grammars a format needs, loaded lazily so a YAML-only scan never loads the HCL grammar. */
const GRAMMARS: Record<Format, GrammarName[]> = {
  terraform: ['terraform'],
  notebook: ['python'],
  cloudformation: [],
  kubernetes: [],
  text: [],
};

export async function prepareFormat(format: Format): Promise<void> {
  await Promise.all(GRAMMARS[format].map(loadGrammar));
}

/**
 * Parse a file into the model. Never throws on bad input: syntax errors become `problems`
 * and the model holds whatever the parser recovered. Call `prepareFormat` first (or use `parseFile`).
 * A Terraform result's tree is only to be freed: an edited document is re-parsed with `parseTerraform`.
 */
export function parseFileSync(uri: string, text: string, format: Format = detectFormat(uri, text)): ParsedFile {
  switch (format) {
    case 'terraform':
      return parseTerraformFile(uri, text);
    case 'notebook':
      return parseNotebook(uri, text);
    case 'cloudformation':
    case 'kubernetes':
      return isJsonText(uri, text) ? parseJsonDocument(uri, text, format) : parseYamlDocuments(uri, text, format);
    default:
      return plainTextFile(uri, text);
  }
}

export async function parseFile(uri: string, text: string, format: Format = detectFormat(uri, text)): Promise<ParsedFile> {
  await prepareFormat(format);
  return parseFileSync(uri, text, format);
}
