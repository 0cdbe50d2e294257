import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { generateJourneys, type GeneratedJourney, type SeedOptions } from './journey-generator';

/**
 * Generation on a worker thread, so that it overlaps the appends (the embedded store spends
 * most of an append waiting for fsync on the main thread). The worker sends journeys in
 * batches and may run at most WINDOW batches ahead of the consumer: memory stays bounded,
 * never the whole set. Output is exactly generateJourneys' (same code, same order).
 */
const BATCH = 64;
const WINDOW = 4;

type Message = { journeys: GeneratedJourney[] } | { done: true } | { error: string };

/** The compiled worker script next to this file, when running from JavaScript (the build). */
export function compiledWorkerScript(): string | undefined {
  const file = path.join(__dirname, 'generation-worker.js');
  return __filename.endsWith('.js') && fs.existsSync(file) ? file : undefined;
}

/**
 * Journeys generated on a worker thread. `script` is this module compiled, or `{ eval }` code
 * that loads it (tests). Returning early (break, abort) terminates the worker.
 */
export async function* generateJourneysInWorker(options: SeedOptions, script: string | { eval: string }): AsyncGenerator<GeneratedJourney> {
  const worker = typeof script === 'string'
    ? new Worker(script, { workerData: { options } })
    : new Worker(script.eval, { eval: true, workerData: { options, entry: __filename } });
  const inbox: Message[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const arrive = () => { wake?.(); wake = undefined; };
  worker.on('message', (message: Message) => { inbox.push(message); arrive(); });
  worker.on('error', (error) => { failure = error; arrive(); });
  worker.on('exit', (code) => { if (code !== 0 && !failure) failure = new Error(`Generation worker exited with code ${code}`); arrive(); });
  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift();
      if (!message) throw failure!;
      if ('error' in message) throw new Error(message.error);
      if ('done' in message) return;
      worker.postMessage('more');
      yield* message.journeys;
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's side: generate, send in batches, wait for credit. */
async function work(options: SeedOptions): Promise<void> {
  const port = parentPort!;
  let credit = WINDOW;
  let wake: (() => void) | undefined;
  port.on('message', () => { credit++; wake?.(); wake = undefined; });
  const send = async (journeys: GeneratedJourney[]) => {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    port.postMessage({ journeys } satisfies Message);
  };
  let batch: GeneratedJourney[] = [];
  for (const journey of generateJourneys(options)) {
    batch.push(journey);
    if (batch.length === BATCH) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length) await send(batch);
  port.postMessage({ done: true } satisfies Message);
  port.close();
}

if (!isMainThread && parentPort && (workerData as { options?: SeedOptions } | undefined)?.options) {
  work((workerData as { options: SeedOptions }).options).catch((error: Error) => parentPort!.postMessage({ error: error.stack ?? String(error) } satisfies Message));
}
