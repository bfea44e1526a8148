/**
 * How the time of `run(n)` grows from `n` to `4n`: about 4 for linear work, 16 for quadratic. The best of a
 * few runs at each size (after one warm-up) keeps a busy machine's noise out of the ratio.
 */
export function growthFrom(n: number, run: (n: number) => void): number {
  run(n);
  const best = (size: number, times: number) => {
    let min = Infinity;
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      run(size);
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  return best(4 * n, 2) / best(n, 3);
}

/** The same for asynchronous work. */
export async function growthFromAsync(n: number, run: (n: number) => Promise<void>): Promise<number> {
  await run(n);
  const best = async (size: number, times: number) => {
    let min = Infinity;
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await run(size);
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  return (await best(4 * n, 2)) / (await best(n, 3));
}
