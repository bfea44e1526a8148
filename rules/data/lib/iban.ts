/**
 * International bank account numbers (ISO 13616) in text: a country code, two check digits and the country's
 * BBAN length, written whole or in groups of four, whose mod-97 check gives 1. The example numbers that banks
 * and standards publish are left out.
 */

export interface IbanHit {
  start: number;
  end: number;
  country: string;
}

/**
 * IBAN lengths by country, as the SWIFT IBAN registry (the ISO 13616 registration authority,
 * https://www.swift.com/standards/data-standards/iban-international-bank-account-number) lists them, including
 * the countries added from release 89 on (Burundi, Djibouti, Falkland Islands, Libya, Mongolia, Nicaragua, Oman,
 * Russia, Somalia, Sudan, Yemen).
 */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Published examples (the registry's for each country, the ECB's, Wikipedia's, iban.com's structure page). */
const EXAMPLES = new Set([
  'GB82WEST12345698765432',
  'GB29NWBK60161331926819',
  'DE89370400440532013000',
  'DE75512108001245126199',
  'FR1420041010050500013M02606',
  'FR7630006000011234567890189',
  'NL91ABNA0417164300',
  'NL02ABNA0123456789',
  'BE71096123456769',
  'ES9121000418450200051332',
  'IT60X0542811101000000123456',
  'CH9300762011623852957',
  'AT611904300234573201',
  'AD1200012030200359100100',
  'AE070331234567890123456',
  'AL47212110090000000235698741',
  'AZ21NABZ00000000137010001944',
  'BA391290079401028494',
  'BE68539007547034',
  'BG80BNBG96611020345678',
  'BH67BMAG00001299123456',
  'BR1800360305000010009795493C1',
  'BY13NBRB3600900000002Z00AB00',
  'CR05015202001026284066',
  'CY17002001280000001200527600',
  'CZ6508000000192000145399',
  'DK5000400440116243',
  'DO28BAGR00000001212453611324',
  'EE382200221020145685',
  'FI2112345600000785',
  'FO6264600001631634',
  'GE29NB0000000101904917',
  'GI75NWBK000000007099453',
  'GL8964710001000206',
  'NO9386011117947',
  'PL61109010140000071219812874',
  'SE4550000000058398257466',
  'AT483200000012345864',
  'BA393385804800211234',
  'BR1500000000000010932840814P2',
  'BG19STSA93000123456789',
  'CR23015108410026012345',
  'HR1723600001101234565',
  'CY21002001950000357001234567',
  'CZ5508000000001234567899',
  'AZ77VTBA00000000001234567890',
  'BH02CITI00001077181611',
  'AL35202111090000000001234567',
  'AD1400080001001234567890',
  'RU0204452560040702810412345678901',
  'LY83002048000020100120361',
  'BI4210000100010000332045181',
  'DJ2100010000000154000100186',
  'FK88SC123456789012',
  'MN121234123456789123',
  'NI45BAPR00000013000003558124',
  'OM810180000001299123456',
  'SD2129010501234001',
  'SO211000001001000100141',
  'YE15CBYE0001018861234567891234',
]);

/**
 * Two letters, two digits, then 11–30 letters or digits, whole or in groups of four separated by one space. Letters
 * of either case: data pipelines often store IBANs normalised to lowercase; `oneCase` keeps mixed-case words out.
 */
const CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])/g;

function oneCase(raw: string): boolean {
  return raw === raw.toUpperCase() || raw === raw.toLowerCase();
}

export function ibanValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

export function findIbans(text: string): IbanHit[] {
  const hits: IbanHit[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    if (!oneCase(m[0])) continue;
    const iban = m[0].replace(/ /g, '').toUpperCase();
    const country = iban.slice(0, 2);
    if (LENGTHS[country] !== iban.length || EXAMPLES.has(iban) || !ibanValid(iban)) continue;
    hits.push({ start: m.index, end: m.index + m[0].length, country });
  }
  return hits;
}
