/**
 * Debounced, cancellable analysis per unit (a text document, or a notebook with all its cells).
 *
 * Every change bumps the unit's generation and restarts its timer. A run captures the generation it
 * started for; `isCancelled()` turns true as soon as a newer change (or a close) bumps it, which stops the
 * runner between rules, and a run that finishes late publishes nothing: diagnostics are never published
 * for a version that is no longer the document's.
 */

export type Job = (isCancelled: () => boolean) => Promise<void>;

/** A pending run: a timer for a real delay, an immediate for none (a 0 ms timeout is clamped to 1 ms). */
type Pending = { kind: 'timeout'; handle: ReturnType<typeof setTimeout> } | { kind: 'immediate'; handle: ReturnType<typeof setImmediate> };

interface Unit {
  generation: number;
  timer?: Pending;
  running: number;
}

function clearPending(p: Pending | undefined): void {
  if (!p) return;
  if (p.kind === 'timeout') clearTimeout(p.handle);
  else clearImmediate(p.handle);
}

export class Scheduler {
  private readonly units = new Map<string, Unit>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly onError: (key: string, e: unknown) => void) {}

  schedule(key: string, delayMs: number, job: Job): void {
    let unit = this.units.get(key);
    if (!unit) {
      unit = { generation: 0, running: 0 };
      this.units.set(key, unit);
    }
    const u = unit;
    const generation = ++u.generation;
    clearPending(u.timer);
    const fire = () => {
      u.timer = undefined;
      if (u.generation !== generation) {
        this.notifyIdle();
        return;
      }
      u.running++;
      const isCancelled = () => u.generation !== generation || this.units.get(key) !== u;
      job(isCancelled)
        .catch((e) => this.onError(key, e))
        .finally(() => {
          u.running--;
          this.notifyIdle();
        });
    };
    u.timer = delayMs > 0 ? { kind: 'timeout', handle: setTimeout(fire, delayMs) } : { kind: 'immediate', handle: setImmediate(fire) };
  }

  /** Cancel pending and running work of a unit and forget it (document closed). */
  cancel(key: string): void {
    const u = this.units.get(key);
    if (!u) return;
    u.generation++;
    clearPending(u.timer);
    u.timer = undefined;
    this.units.delete(key);
    this.notifyIdle();
  }

  /** No timers pending and nothing running. */
  get idle(): boolean {
    for (const u of this.units.values()) if (u.timer || u.running > 0) return false;
    return true;
  }

  /** Resolves when idle (used by commands that need settled state). */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    if (!this.idle) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
