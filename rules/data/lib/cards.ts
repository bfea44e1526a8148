/**
 * Payment card numbers (PANs) in text: a digit run laid out as cards are written (contiguous, or groups of
 * 4-4-4-4[-3], 4-6-5, 4-6-4 with one separator), with a card scheme's prefix and length, passing the Luhn
 * check, and not one of the test numbers payment providers publish. A random 16-digit number passes Luhn one
 * time in ten: the prefix, the length and the layout keep identifiers and tables of numbers out.
 */

export interface CardHit {
  start: number;
  end: number;
  scheme: string;
}

/**
 * Card schemes by prefix (IIN ranges) and the lengths their numbers have, as the IIN table of ISO/IEC 7812 card
 * numbers lists them (https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)):
 * Visa 4 (13, 16, 19 digits); Mastercard 51–55 and 2221–2720 (16); American Express 34, 37 (15); Discover 6011,
 * 644–649, 65 (16–19); JCB 3528–3589 (16–19); Diners Club International 300–305, 3095, 36, 38–39 (14–19); UnionPay 62
 * (16–19; its 622126–622925 range is co-branded with Discover).
 */
const SCHEMES: { name: string; prefix: RegExp; lengths: readonly number[] }[] = [
  { name: 'Visa', prefix: /^4/, lengths: [13, 16, 19] },
  { name: 'Mastercard', prefix: /^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] },
  { name: 'American Express', prefix: /^3[47]/, lengths: [15] },
  { name: 'Discover', prefix: /^(?:6011|64[4-9]|65)/, lengths: [16, 17, 18, 19] },
  { name: 'JCB', prefix: /^35(?:2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
  { name: 'Diners Club', prefix: /^(?:30[0-5]|3095|36|3[89])/, lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'UnionPay', prefix: /^62/, lengths: [16, 17, 18, 19] },
];

/**
 * Test numbers from the payment providers' documentation (Stripe, Braintree, Adyen, PayPal): found in
 * tutorials and test suites, never a customer's card. Stripe's scenario cards (https://docs.stripe.com/testing)
 * that `testPattern` does not already cover are listed too.
 */
const TEST_NUMBERS = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4222222222222',
  '4000056655665556',
  '4005519200000004',
  '4009348888881881',
  '4012000033330026',
  '4012000077777777',
  '4217651111111119',
  '4500600000000061',
  '4917610000000000',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '5454545454545454',
  '2223003122003222',
  '2223000048400011',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '6011111111111117',
  '6011000990139424',
  '6011601160116611',
  '3056930009020004',
  '30569309025904',
  '38520000023237',
  '36227206271667',
  '3566002020360505',
  '3530111333300000',
  '6200000000000005',
  '4000002500003155',
  '4000002760003184',
  '4000003800000446',
  '4000000760000002',
  '4000008260003178',
]);

/** Layouts of a number written in groups; contiguous numbers take any scheme length. */
const GROUPINGS = new Set(['4-4-4-4', '4-4-4-4-3', '4-6-5', '4-6-4', '4-4-4-1', '4-4-4-4-1', '4-4-4-4-2']);

/** A run of 13–19 digits with at most one space or dash between two digits, not inside a longer number or a word. */
const CANDIDATE = /(?<![\w.,/+-])\d(?:[ -]?\d){12,18}(?![\w/+]|[.,-]\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** A run of seven digits alike: the providers' scenario cards (`4000 0000 0000 9995`); an issued number has none. */
const REPEATED_RUN = /(\d)\1{6}/;

/**
 * Numbers of three or fewer distinct digits (`4000 0000 0000 0002`) or with a run of seven digits alike are test
 * patterns, not issued cards.
 */
function testPattern(digits: string): boolean {
  return new Set(digits).size <= 3 || REPEATED_RUN.test(digits);
}

/**
 * A grouped number stands alone: the group before it or after it, joined by the same separator, would make it
 * four groups out of a longer run (`[ 101 4539 1488 0343 6467 2003]`, an array of 4-digit ids), not a card.
 */
function standsAlone(text: string, start: number, end: number, separator: string): boolean {
  const before = text.charCodeAt(start - 2);
  const after = text.charCodeAt(end + 1);
  return !(text[start - 1] === separator && before >= 48 && before <= 57) && !(text[end] === separator && after >= 48 && after <= 57);
}

function layoutOk(raw: string): boolean {
  const separators = raw.replace(/\d/g, '');
  if (!separators) return true;
  if (new Set(separators).size !== 1) return false;
  return GROUPINGS.has(
    raw
      .split(separators[0])
      .map((g) => g.length)
      .join('-'),
  );
}

export function findCardNumbers(text: string): CardHit[] {
  const hits: CardHit[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const raw = m[0];
    const digits = raw.replace(/[ -]/g, '');
    const separator = raw.replace(/\d/g, '')[0];
    if (!layoutOk(raw) || (separator && !standsAlone(text, m.index, m.index + raw.length, separator))) continue;
    if (!luhnValid(digits) || testPattern(digits) || TEST_NUMBERS.has(digits)) continue;
    const scheme = SCHEMES.find((s) => s.prefix.test(digits) && s.lengths.includes(digits.length));
    if (scheme) hits.push({ start: m.index, end: m.index + raw.length, scheme: scheme.name });
  }
  return hits;
}
