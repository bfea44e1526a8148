import { basenameOf } from '../../uri';
import { defineFormat, headOf } from '../format';
import { parseModelfile } from './parse';

/** The first line that is neither blank nor a comment starts with a Modelfile instruction. */
const FIRST_INSTRUCTION = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:from|parameter|template|system|adapter|license|message|draft|renderer|parser|requires)[ \t]/i;

/**
 * Ollama Modelfiles: `Modelfile` and `<name>.Modelfile` (any case) by their name; `Modelfile.<variant>` when its first
 * instruction is a Modelfile's (so `modelfile.go` or `Modelfile.md` stay what they are).
 */
export function isModelfile(uri: string, text: string): boolean {
  const base = basenameOf(uri).toLowerCase();
  if (base === 'modelfile' || /.\.modelfile$/.test(base)) return true;
  return base.startsWith('modelfile.') && FIRST_INSTRUCTION.test(headOf(text).slice(0, 4096));
}

/**
 * Ollama Modelfiles (`ollama create -f Modelfile`), read by a line reader that follows Ollama's own parser (see
 * `parse.ts`: no maintained npm parser exists): instructions become resources, `FROM` holds the base model.
 */
export const modelfile = defineFormat({
  id: 'modelfile',
  extensions: ['modelfile'],
  fileNames: /^modelfile(?:\.|$)/,
  detect: isModelfile,
  grammars: [],
  parse: parseModelfile,
  editor: { languages: [], extensions: ['modelfile'], filenames: ['Modelfile', 'Modelfile.*', '*.Modelfile'] },
});
