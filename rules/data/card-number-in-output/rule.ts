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
    reads:
      "Every text form of each output: `text/plain` first, then `text/html` (a pandas `Styler`, whose text is its repr), `application/json` (an IPython `JSON()` display) and `text/markdown`, streams and tracebacks, with ANSI colour codes read as spaces; a number an output shows in several forms is reported once. Schemes by IIN range and length as ISO/IEC 7812 numbers list them: Visa 4 (13, 16, 19 digits), Mastercard 51–55 and 2221–2720 (16), American Express 34 and 37 (15), Discover 6011, 644–649 and 65 (16–19), JCB 3528–3589 (16–19), Diners Club 300–305, 3095, 36 and 38–39 (14–19), UnionPay 62 (16–19). A number is contiguous or grouped 4-4-4-4(-3), 4-6-5, 4-6-4 or 4-4-4-1 with one kind of separator, and a grouped number stands alone: four groups out of a longer run of numbers (a numpy array of token ids) are not a card. Not reported: masked numbers (`**** 1234`, `4111 XXXX XXXX 1111`, first six and last four), numbers inside words, URLs, decimals and longer numbers, and test numbers: those the payment providers publish (Stripe's scenario cards among them), numbers of three or fewer distinct digits and numbers with a run of seven digits alike. Outputs only: a number in a code cell's source or a markdown cell is not read.",
    why: 'A notebook keeps what it printed: a `df.head()` of customer payments commits card numbers to git, where every clone, fork and CI log has them — a PCI DSS breach that no access control on the data store can undo. No IaC or secret scanner looks at notebook outputs for cardholder data.',
    fix: "Clear the cell's outputs before committing (or strip outputs with `nbstripout`), and mask or drop the column before displaying data (`df.assign(card=df.card.str[-4:])`).",
    fixes: { 'clear-outputs': 'Clears the outputs of the cell that printed the number (they come back when the cell is run again).' },
    examples: { format: 'notebook', bad: 'print(df.head())  # output shows 4539 1488 0343 6467', good: "print(df.assign(card='…' + df.card.str[-4:]).head())" },
  },
  check(ctx) {
    reportValuesInOutputs(ctx, findCardNumbers, (hit, masked) => `${hit.scheme} card number (${masked})`);
  },
});
