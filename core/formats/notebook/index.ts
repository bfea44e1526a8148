import { defineFormat } from '../format';
import { parseNotebook } from './notebook';

/** Jupyter notebooks (`.ipynb`). In the editor their cells arrive through notebook sync, not as text documents. */
export const notebook = defineFormat({
  id: 'notebook',
  extensions: ['ipynb'],
  detect: () => true,
  grammars: ['python'],
  parse: parseNotebook,
});
