/**
 * `to.push(...items)` without the spread: spread arguments all go on the call stack, and a file with a
 * few hundred thousand findings overflows it.
 */
export function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}
