import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyStreamId, type JourneyEvent } from '../../../../libs/domain/src/events';
import { consented, identified, referred } from '../../../../libs/domain/test-support/journey-fixtures';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { ALL_PROJECTIONS } from '../../../../projections';
import type { DocumentProjection } from '../../../../projections/projection';
import { Projector } from '../../../projector/src/projector';
import { loadConfig } from '../config';
import { observeProjector, type ProjectorObservation } from './metrics-projector';

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
let counter = 0;

/** A projection that throws on its first event: it stops, and its error is counted. */
const poison: DocumentProjection<{ _id: string }> = {
  name: 'poison', version: 1, collection: 'poison', indexes: [],
  documentId: () => 'only',
  evolve: () => { throw new Error('cannot apply'); },
};

/** The value of one sample line of the exposition text, e.g. `vjt_projection_position{projection="journeys"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the projector process’s /metrics (METRICS_PORT)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let projector: Projector;
  let observation: ProjectorObservation;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-projector-metrics-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
    projector = new Projector(events, readStore, { batchSize: 2, retryMinMs: 10, retryMaxMs: 100, projections: [...ALL_PROJECTIONS, poison] });
    observation = await observeProjector(projector, events, loadConfig({ DATA_DIR: dir, METRICS_PORT: '0' }));
  });
  afterEach(async () => {
    await observation.stop();
    await projector.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function record(journey: string, recorded: JourneyEvent[]): Promise<bigint> {
    const result = await events.append(journeyStreamId(journey), recorded.map((e) => ({
      id: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`, type: e.type, data: e.data as any, metadata,
    })), 'no_stream');
    return result.position;
  }

  it('reports each projection’s position, lag, events, batches and errors, the appends, and the process', async () => {
    await projector.start();
    await record('a', [identified({ journeyId: 'a' }), consented(), referred('2024-01-09', 'ref-a')]);
    const head = await record('b', [identified({ journeyId: 'b' }), consented()]);
    for (const { name } of ALL_PROJECTIONS) expect(await projector.waitFor(name, head, 5000)).toBe(true);

    const response = await fetch(`${observation.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const { name } of ALL_PROJECTIONS) {
      const of = (metric: string) => sample(text, `${metric}{projection="${name}"}`);
      expect({ name, position: of('vjt_projection_position'), lag: of('vjt_projection_lag_events'), seconds: of('vjt_projection_lag_seconds') })
        .toEqual({ name, position: Number(head), lag: 0, seconds: 0 });
      expect({ name, applied: of('vjt_projection_events_applied_total'), errors: of('vjt_projection_errors_total'), running: of('vjt_projection_running') })
        .toEqual({ name, applied: 5, errors: 0, running: 1 });
      expect(of('vjt_projection_batches_total')).toBeGreaterThanOrEqual(3); // at most 2 events a batch
    }
    expect(sample(text, 'vjt_projection_errors_total{projection="poison"}')).toBe(1);
    expect(sample(text, 'vjt_projection_running{projection="poison"}')).toBe(0);
    expect(sample(text, 'vjt_projection_position{projection="poison"}')).toBe(-1);
    expect(sample(text, 'vjt_appends_total')).toBe(2);
    expect(sample(text, 'vjt_events_appended_total')).toBe(5);
    expect(sample(text, 'vjt_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).not.toContain('vjt_commands_total'); // the API's series are the API's
  });

  it('reports lag while a projection is behind the log', async () => {
    await record('a', [identified({ journeyId: 'a' }), consented()]);
    const text = await (await fetch(`${observation.metricsUrl}/metrics`)).text(); // the projector has not started
    expect(sample(text, 'vjt_projection_lag_events{projection="journeys"}')).toBe(2);
    expect(sample(text, 'vjt_projection_position{projection="journeys"}')).toBe(-1);
    expect(sample(text, 'vjt_projection_running{projection="journeys"}')).toBe(0);
  });
});
