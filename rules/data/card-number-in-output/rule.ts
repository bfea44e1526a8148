import { defineRule } from '../../../core';
import { findCardNumbers } from '../lib/cards';
import { reportValuesInOutputs } from '../lib/outputs';

export default defineRule({
  id: 'data/card-number-in-output',
  family: 'data',
  severity: 'error',
  formats: ['notebook'],
  fixes: { 'clear-outputs': 'safe' },
  docs: {
    summary:
      "A payment card number in a notebook cell's output: a number laid out as cards are, with a card scheme's prefix and length, that passes the Luhn check and is not a published test number.",
    why: 'A notebook keeps what it printed: a `df.head()` of customer payments commits card numbers to git, where every clone, fork and CI log has them — a PCI DSS breach that no access control on the data store can undo. No IaC or secret scanner looks at notebook outputs for cardholder data.',
    fix: "Clear the cell's outputs before committing (or strip outputs with `nbstripout`), and mask or drop the column before displaying data (`df.assign(card=df.card.str[-4:])`).",
    fixes: { 'clear-outputs': 'Clears the outputs of the cell that printed the number (they come back when the cell is run again).' },
    examples: { format: 'notebook', bad: 'print(df.head())  # output shows 4539 1488 0343 6467', good: "print(df.assign(card='…' + df.card.str[-4:]).head())" },
  },
  check(ctx) {
    reportValuesInOutputs(ctx, findCardNumbers, (hit, masked) => `${hit.scheme} card number (${masked})`);
  },
});
