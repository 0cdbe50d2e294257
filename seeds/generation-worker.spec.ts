import { generateJourneys } from './journey-generator';
import { generateJourneysInWorker } from './generation-worker';

/** Lets the worker load this TypeScript source, as Jest does (the build runs the compiled .js instead). */
const TS_BOOTSTRAP = {
  eval: `
    const fs = require('node:fs');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
    }).code, filename);
    require(require('node:worker_threads').workerData.entry);`,
};

describe('generateJourneysInWorker', () => {
  it('yields exactly what generateJourneys does, in batches from a worker thread', async () => {
    const options = { journeys: 300, seed: 77 };
    const fromWorker = [];
    for await (const journey of generateJourneysInWorker(options, TS_BOOTSTRAP)) fromWorker.push(journey);
    expect(fromWorker).toEqual([...generateJourneys(options)]);
  });

  it('stops the worker when the consumer stops early', async () => {
    const taken = [];
    for await (const journey of generateJourneysInWorker({ journeys: 1_000_000, seed: 1 }, TS_BOOTSTRAP)) {
      taken.push(journey.journeyId);
      if (taken.length === 5) break;
    }
    const inline = generateJourneys({ journeys: 1_000_000, seed: 1 });
    expect(taken).toEqual(Array.from({ length: 5 }, () => inline.next().value!.journeyId));
  });

  it('reports an error raised in the worker', async () => {
    const run = async () => { for await (const _ of generateJourneysInWorker({ journeys: -1, seed: 1 }, TS_BOOTSTRAP)) void _; };
    await expect(run()).rejects.toThrow(/journeys must be/);
  });
});
