import { defineRule } from '../../../core';
import { findIbans } from '../lib/iban';
import { reportValuesInOutputs } from '../lib/outputs';

export default defineRule({
  id: 'data/iban-in-output',
  family: 'data',
  severity: 'warning',
  formats: ['notebook'],
  fixes: { 'clear-outputs': 'safe' },
  docs: {
    summary:
      "An IBAN in a notebook cell's output: a country code, check digits and the country's length, passing the ISO 13616 mod-97 check, not a published example.",
    reads:
      "Every text form of each output, as `data/card-number-in-output` reads them (JSON displays, styled tables, tracebacks with their colours). An IBAN is two letters, two check digits and the rest of the country's length in the SWIFT IBAN registry (Russia's 33 and Saint Lucia's 32 included), whole or in groups of four separated by one space, in capitals or all lowercase (as pipelines store normalised values; mixed case is not read), passing the ISO 13616 mod-97 check. Not reported: the registry's example IBAN of each country and the other published examples, masked IBANs, IBAN-shaped codes that fail mod-97 or have another length, codes of countries without IBANs, ISINs and BICs.",
    why: 'Bank account numbers are personal data (GDPR) and the key to direct-debit fraud. A notebook that printed a customer table keeps them in git for every clone. A warning, not an error: an IBAN alone does not move money, but it should not be in a repository.',
    fix: "Clear the cell's outputs before committing, and mask the column before displaying data.",
    fixes: { 'clear-outputs': 'Clears the outputs of the cell that printed the IBAN.' },
    examples: { format: 'notebook', bad: 'df.head()  # output shows DE44 5001 0517 5407 3249 31', good: "df.assign(iban=df.iban.str[:4] + '…').head()" },
  },
  check(ctx) {
    reportValuesInOutputs(ctx, findIbans, (hit, masked) => `IBAN of ${hit.country} (${masked})`);
  },
});
