/**
 * Progress for long work: a bar with rate and ETA on a terminal, a plain line every few
 * seconds otherwise (logs, CI), and nothing with --json (the result is printed as JSON).
 */
export interface ProgressOptions {
  json: boolean;
  out?: NodeJS.WriteStream;
  /** Seconds between plain lines when not on a terminal. */
  every?: number;
}

export class Progress {
  private readonly started = Date.now();
  /** Plain lines start after the first interval: a line at 0% tells nothing. */
  private lastLine = Date.now();
  private done = 0;
  private readonly out: NodeJS.WriteStream;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly unit: string,
    private readonly options: ProgressOptions,
  ) {
    this.out = options.out ?? process.stderr;
  }

  update(done: number, total = this.total): void {
    this.done = done;
    this.total = total;
    if (this.options.json) return;
    const now = Date.now();
    if (this.out.isTTY) {
      if (now - this.lastLine < 100 && done !== total) return;
      this.lastLine = now;
      this.out.write(`\r${this.describe(true)}\x1b[K`);
    } else if (now - this.lastLine >= (this.options.every ?? 2) * 1000) {
      this.lastLine = now;
      this.out.write(`${this.describe(false)}\n`);
    }
  }

  finish(summary?: string): void {
    if (this.options.json) return;
    if (this.out.isTTY) this.out.write(`\r${this.describe(true)}\x1b[K\n`);
    if (summary) this.out.write(`${summary}\n`);
  }

  /** Units per second so far. */
  rate(): number {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    return this.done / seconds;
  }

  private describe(bar: boolean): string {
    const rate = this.rate();
    const count = `${this.done.toLocaleString('en-GB')}${this.total ? `/${this.total.toLocaleString('en-GB')}` : ''} ${this.unit}`;
    const perSecond = `${Math.round(rate).toLocaleString('en-GB')} ${this.unit}/s`;
    if (!this.total) return `${this.label}: ${count}, ${perSecond}`;
    const share = Math.min(this.done / this.total, 1);
    const eta = rate > 0 ? Math.max(0, Math.round((this.total - this.done) / rate)) : undefined;
    const width = 24;
    const filled = Math.round(share * width);
    const gauge = bar ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `${this.label}: ${gauge}${(share * 100).toFixed(0)}% ${count}, ${perSecond}${eta === undefined ? '' : `, ETA ${formatSeconds(eta)}`}`;
  }
}

export function formatSeconds(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
