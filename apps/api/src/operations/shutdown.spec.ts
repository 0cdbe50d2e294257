import { EventEmitter } from 'node:events';
import { ShutdownCoordinator, type ShutdownPhase, type SignalSource } from './shutdown';

/** A coordinator whose exit and log are recorded, listening to a fake process. */
function coordinator(phases: ShutdownPhase[], timeoutMs = 1_000) {
  const lines: string[] = [];
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const signals = new EventEmitter();
  const shutdown = new ShutdownCoordinator({
    phases,
    timeoutMs,
    log: { log: (line) => lines.push(`log ${line}`), error: (line) => lines.push(`error ${line}`) },
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  const stopListening = shutdown.listen(signals as unknown as SignalSource);
  return { shutdown, lines, exits, exit, signals, stopListening };
}

/** A phase that records its start and end, and waits for `release` when given one. */
function phase(name: string, order: string[], release?: Promise<void>): ShutdownPhase {
  return {
    name,
    run: async () => {
      order.push(`${name} started`);
      await release;
      order.push(`${name} done`);
      return `${name} detail`;
    },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ShutdownCoordinator', () => {
  it('runs the phases one after the other on the first signal, logs a line for each, and exits 0', async () => {
    const order: string[] = [];
    const slow = deferred();
    const { signals, lines, exits, exit } = coordinator([phase('stop accepting', order), phase('finish in-flight', order, slow.promise), phase('close stores', order)]);
    signals.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 20));
    // The second phase has not finished: the third has not started.
    expect(order).toEqual(['stop accepting started', 'stop accepting done', 'finish in-flight started']);
    slow.resolve();
    expect(await exit).toBe(0);
    expect(order).toEqual(['stop accepting started', 'stop accepting done', 'finish in-flight started', 'finish in-flight done', 'close stores started', 'close stores done']);
    expect(exits).toEqual([0]);
    expect(lines).toEqual([
      expect.stringMatching(/^log Received SIGTERM: shutting down gracefully \(stop accepting, then finish in-flight, then close stores; at most 1000 ms\); a second signal forces the exit$/),
      expect.stringMatching(/^log Shutdown phase 1\/3 \(stop accepting\) done in \d+ ms: stop accepting detail$/),
      expect.stringMatching(/^log Shutdown phase 2\/3 \(finish in-flight\) done in \d+ ms: finish in-flight detail$/),
      expect.stringMatching(/^log Shutdown phase 3\/3 \(close stores\) done in \d+ ms: close stores detail$/),
      expect.stringMatching(/^log Shutdown complete in \d+ ms; exiting with code 0$/),
    ]);
  });

  it('is testable without signals: shutdown() runs the phases once, however often it is called', async () => {
    const order: string[] = [];
    const { shutdown, exits } = coordinator([phase('only', order)]);
    const [first, second] = await Promise.all([shutdown.shutdown(), shutdown.shutdown()]);
    expect([first, second, exits, order]).toEqual([0, 0, [0], ['only started', 'only done']]);
  });

  it.each([
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGINT', 'SIGINT', 130],
    ['SIGTERM', 'SIGINT', 130],
    ['SIGINT', 'SIGTERM', 143],
  ] as const)('a second signal during the drain (%s, then %s) forces the exit at once with code %i and one line', async (first, second, code) => {
    const order: string[] = [];
    const never = deferred();
    const { signals, lines, exits, exit } = coordinator([phase('stop accepting', order), phase('finish in-flight', order, never.promise), phase('close stores', order)]);
    signals.emit(first, first);
    await new Promise((r) => setTimeout(r, 10));
    signals.emit(second, second);
    expect(await exit).toBe(code);
    expect(exits).toEqual([code]);
    expect(lines.at(-1)).toBe(`error Received ${second} again during the shutdown (phase 2/3 (finish in-flight)): forced exit with code ${code}, without finishing the drain`);
    // Nothing more happens once forced: the stuck phase finishing later runs no further phase and exits no second time.
    never.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).not.toContain('close stores started');
    expect(exits).toEqual([code]);
    signals.emit(second, second);
    expect(exits).toEqual([code]);
  });

  it('exits 1 when the drain outlasts the timeout, naming the phase stuck and what it waits for', async () => {
    const order: string[] = [];
    const { signals, lines, exits, exit } = coordinator([
      phase('stop accepting', order),
      { ...phase('finish in-flight', order, new Promise(() => undefined)), stuck: () => '3 request(s) still in flight' },
      phase('close stores', order),
    ], 50);
    const started = performance.now();
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toBe('error Shutdown timed out after 50 ms, stuck in phase 2/3 (finish in-flight): 3 request(s) still in flight; exiting with code 1');
    expect(order).not.toContain('close stores started');
  });

  it('a phase that fails is logged, the later phases still run (the stores still close), and the exit code is 1', async () => {
    const order: string[] = [];
    const { shutdown, lines, exits } = coordinator([
      { name: 'stop projections', run: () => Promise.reject(new Error('the read store refused the batch')) },
      phase('close stores', order),
    ]);
    expect(await shutdown.shutdown()).toBe(1);
    expect(order).toEqual(['close stores started', 'close stores done']);
    expect(exits).toEqual([1]);
    expect(lines).toEqual([
      expect.stringMatching(/^error Shutdown phase 1\/2 \(stop projections\) failed after \d+ ms: the read store refused the batch$/),
      expect.stringMatching(/^log Shutdown phase 2\/2 \(close stores\) done/),
      expect.stringMatching(/^log Shutdown finished with errors in \d+ ms; exiting with code 1$/),
    ]);
  });

  it('with a timeout of 0, waits however long the phases take', async () => {
    const order: string[] = [];
    const { shutdown, lines } = coordinator([phase('slow', order, new Promise((r) => setTimeout(r, 30)))], 0);
    expect(await shutdown.shutdown()).toBe(0);
    expect(lines.at(-1)).toMatch(/exiting with code 0$/);
  });

  it('stops listening when asked', () => {
    const { signals, stopListening } = coordinator([]);
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(2);
    stopListening();
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });
});
