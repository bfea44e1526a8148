/**
 * One-keystroke misspellings of the words that name a secret — a letter dropped (`pasword`), doubled (`seecret`) or
 * two adjacent letters swapped (`secert`, `passowrd`) — as they are typed into constant names. A key named with one is
 * read as if spelled right, but its value must look random (`looksRandom`): a misspelling alone is weaker evidence.
 */

const WORDS = ['secret', 'password'];

function typos(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) {
    out.push(word.slice(0, i) + word.slice(i + 1));
    out.push(word.slice(0, i) + word[i] + word.slice(i));
    if (i + 1 < word.length) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  return out;
}

/** Misspelling → the word meant. */
export const MISSPELLED = new Map<string, string>(
  WORDS.flatMap((w) =>
    typos(w)
      .filter((t) => !WORDS.includes(t) && !w.startsWith(t))
      .map((t): [string, string] => [t, w]),
  ),
);

/** Whether a key has a misspelled secret word (`SUPER_SEECRET_VALUE`, `db_pasword`). */
export function hasMisspelledWord(words: readonly string[]): boolean {
  return words.some((w) => MISSPELLED.has(w));
}
