/** CPU time of this process in milliseconds: unlike the wall clock, not slowed by other processes on the machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The most `growthFrom` may give for work that is linear: linear work gives about 4 (n log n about 4.6) and
 * quadratic work 16. The margin above 4 absorbs what a machine running other tests at the same time adds
 * (ratios of 9 and, once, 10.5 were seen for linear work on a loaded 2-core machine); quadratic work stays above it.
 */
export const LINEAR_GROWTH_LIMIT = 12;

/**
 * How many times a ratio above the limit is measured again. A garbage collection or another process can
 * slow one measurement of linear work past the limit; quadratic work is above it every time, so the
 * smallest of a few ratios still tells the two apart.
 */
const ATTEMPTS = 3;

/**
 * How the time of `run(n)` grows from `n` to `4n`: about 4 for linear work, 16 for quadratic. The best of
 * five runs at each size (after one warm-up), in CPU time, keeps a busy machine's noise out of the ratio;
 * a ratio above the limit is measured again, and the smallest is given.
 */
export function growthFrom(n: number, run: (n: number) => void): number {
  run(n);
  const best = (size: number) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = cpuMs();
      run(size);
      min = Math.min(min, cpuMs() - t0);
    }
    return min;
  };
  let ratio = Infinity;
  for (let attempt = 0; attempt < ATTEMPTS && ratio >= LINEAR_GROWTH_LIMIT; attempt++) ratio = Math.min(ratio, best(4 * n) / best(n));
  return ratio;
}

/** The same for asynchronous work (best of five too, measured again when above the limit). */
export async function growthFromAsync(n: number, run: (n: number) => Promise<void>): Promise<number> {
  await run(n);
  const best = async (size: number) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = cpuMs();
      await run(size);
      min = Math.min(min, cpuMs() - t0);
    }
    return min;
  };
  let ratio = Infinity;
  for (let attempt = 0; attempt < ATTEMPTS && ratio >= LINEAR_GROWTH_LIMIT; attempt++) ratio = Math.min(ratio, (await best(4 * n)) / (await best(n)));
  return ratio;
}
