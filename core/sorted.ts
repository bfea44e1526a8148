/**
 * Binary search over a sorted sequence: the number of leading items for which `before(i)` holds, that is
 * the index of the first item for which it fails (`length` when it holds for all). `before` must hold for
 * a prefix of the items and fail for the rest, as "starts before x" does on items sorted by start. The
 * span indexes of the runner, suppressions, unused suppressions and finding identities all search this way.
 */
export function partitionPoint(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
