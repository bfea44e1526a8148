import type { Span } from '../../../core';
import type { SecretSite } from './sites';

/** The sites found so far, each span once. */
export class Collector {
  readonly sites: SecretSite[] = [];
  private readonly seen = new Set<string>();

  add(site: SecretSite): void {
    const k = `${site.span.cell}|${site.span.output}|${site.span.start}|${site.span.end}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.sites.push(site);
  }

  /** Keeps a span out: a value its call shows is not a secret, wherever else it is met. */
  dismiss(span: Span): void {
    this.seen.add(`${span.cell}|${span.output}|${span.start}|${span.end}`);
  }
}
