import { Logger } from '@nestjs/common';

/**
 * Graceful shutdown, one coordinator per process (apps/api/src/main.ts, apps/projector/src/main.ts).
 *
 * The first SIGTERM or SIGINT runs the process's phases one after the other (for the API: stop
 * accepting requests, finish those in flight, stop the projections after their current batch,
 * close the application and its stores), logging one line per phase, then exits 0. A second
 * signal during the drain exits at once, 128 + the signal's number (130 for SIGINT, 143 for
 * SIGTERM), with one line saying the exit was forced. A drain longer than the timeout exits 1
 * with a line naming the phase it was stuck in; a phase that fails is logged, the later phases
 * still run (the stores are closed even if the projector could not be stopped), and the exit
 * code is 1.
 *
 * Nest's own `enableShutdownHooks()` is not used by the entry points: it runs the hooks, then
 * re-raises the signal (`process.kill(process.pid, signal)`), so the process always ends by
 * the signal (143), with no timeout, no second-signal exit and no phase of its own for the
 * requests in flight.
 */

/** One step of a shutdown. */
export interface ShutdownPhase {
  /** A few words for the log lines: `finish in-flight requests`. No quotes (the lines may end up in JSON). */
  name: string;
  /** Does the phase's work; what it returns (if anything) ends the phase's log line. */
  run(): Promise<string | void> | string | void;
  /** What the phase is waiting for, for the line logged when the timeout strikes in it. */
  stuck?(): string;
}

export interface ShutdownLog {
  log(message: string): void;
  error(message: string): void;
}

export interface ShutdownOptions {
  phases: readonly ShutdownPhase[];
  /** The whole drain's limit, in ms; 0 for none. */
  timeoutMs: number;
  /** Nest's Logger (context Shutdown) unless given. */
  log?: ShutdownLog;
  /** process.exit unless given. */
  exit?: (code: number) => void;
  /** A monotonic clock in ms, for the durations logged. */
  now?: () => number;
}

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/** The conventional exit code of a process ended by a signal: 128 + its number. */
export const FORCED_EXIT_CODES: Record<ShutdownSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** What a process that can be told about signals needs: process itself, or an EventEmitter in the tests. */
export interface SignalSource {
  on(signal: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
  removeListener(signal: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
}

export class ShutdownCoordinator {
  private readonly log: ShutdownLog;
  private readonly exit: (code: number) => void;
  private readonly now: () => number;
  private running: Promise<number> | undefined;
  /** Index of the phase under way (phases.length once all are done). */
  private current = -1;
  private exited = false;

  constructor(private readonly options: ShutdownOptions) {
    this.log = options.log ?? new Logger('Shutdown');
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.now = options.now ?? (() => performance.now());
  }

  /** Listens for SIGTERM and SIGINT; returns a function that stops listening. */
  listen(source: SignalSource = process): () => void {
    const listener = (signal: ShutdownSignal) => this.onSignal(signal);
    for (const signal of SHUTDOWN_SIGNALS) source.on(signal, listener);
    return () => {
      for (const signal of SHUTDOWN_SIGNALS) source.removeListener(signal, listener);
    };
  }

  /** The first signal starts the shutdown; another one while it runs forces the exit. */
  onSignal(signal: ShutdownSignal): void {
    if (this.exited) return;
    if (!this.running) {
      const limit = this.options.timeoutMs > 0 ? `at most ${this.options.timeoutMs} ms` : 'no time limit';
      this.log.log(`Received ${signal}: shutting down gracefully (${this.options.phases.map((p) => p.name).join(', then ')}; ${limit}); a second signal forces the exit`);
      void this.shutdown();
      return;
    }
    const code = FORCED_EXIT_CODES[signal];
    this.finish(code, () => this.log.error(`Received ${signal} again during the shutdown (${this.phaseLabel()}): forced exit with code ${code}, without finishing the drain`));
  }

  /** Runs the phases (once; later calls get the same result) and exits; resolves with the exit code. */
  shutdown(): Promise<number> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<number> {
    const started = this.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      if (this.options.timeoutMs > 0) timer = setTimeout(resolve, this.options.timeoutMs, 'timeout');
    });
    let failed = false;
    try {
      for (const [index, phase] of this.options.phases.entries()) {
        this.current = index;
        const phaseStarted = this.now();
        const outcome = await Promise.race([
          Promise.resolve()
            .then(() => phase.run())
            .then((detail) => ({ detail }), (error: unknown) => ({ error })),
          timedOut,
        ]);
        if (this.exited) return -1; // a second signal forced the exit meanwhile
        if (outcome === 'timeout') {
          const waiting = phase.stuck?.();
          this.finish(1, () => this.log.error(`Shutdown timed out after ${this.options.timeoutMs} ms, stuck in ${this.phaseLabel()}${waiting ? `: ${waiting}` : ''}; exiting with code 1`));
          return 1;
        }
        const took = Math.round(this.now() - phaseStarted);
        if ('error' in outcome) {
          failed = true;
          this.log.error(`Shutdown ${this.phaseLabel()} failed after ${took} ms: ${describe(outcome.error)}`);
        } else {
          this.log.log(`Shutdown ${this.phaseLabel()} done in ${took} ms${outcome.detail ? `: ${outcome.detail}` : ''}`);
        }
      }
      this.current = this.options.phases.length;
      const code = failed ? 1 : 0;
      this.finish(code, () => this.log.log(`Shutdown ${failed ? 'finished with errors' : 'complete'} in ${Math.round(this.now() - started)} ms; exiting with code ${code}`));
      return code;
    } finally {
      clearTimeout(timer);
    }
  }

  private finish(code: number, say: () => void): void {
    if (this.exited) return;
    this.exited = true;
    say();
    this.exit(code);
  }

  private phaseLabel(): string {
    const phases = this.options.phases;
    if (this.current < 0) return 'before its first phase';
    if (this.current >= phases.length) return 'after its last phase';
    return `phase ${this.current + 1}/${phases.length} (${phases[this.current].name})`;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
