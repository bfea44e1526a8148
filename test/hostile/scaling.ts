/** CPU time of this process in milliseconds: unlike the wall clock, not slowed by other processes on the machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The most `growthFrom` may give for work that is linear: linear work gives about 4 (n log n about 4.6) and
 * quadratic work 16. The margin above 4 absorbs what a machine running other tests at the same time adds
 * (ratios of 9 were seen for linear work on a loaded 2-core machine with a limit of 8).
 */
export const LINEAR_GROWTH_LIMIT = 10;

/**
 * How the time of `run(n)` grows from `n` to `4n`: about 4 for linear work, 16 for quadratic. The best of
 * five runs at each size (after one warm-up), in CPU time, keeps a busy machine's noise out of the ratio.
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
  return best(4 * n) / best(n);
}

/** The same for asynchronous work (best of five too). */
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
  return (await best(4 * n)) / (await best(n));
}
