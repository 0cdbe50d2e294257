import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbTestServer } from '../../../test/support/esdb-test-server';
import { consented, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { EsdbEventStore } from '../../../libs/event-store/src/eventstoredb/esdb-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { journeyProjection } from '../../../projections/journeys/journey.projection';
import type { JourneyDocument } from '../../../projections/journeys/journey.document';
import { servingCollection } from './projection-catalog';
import { Projector } from './projector';

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };

/**
 * Events of one EventStoreDB append share a commit position, and their packed positions
 * differ far below what a JS number resolves; the projector must still apply every one.
 */
describe('the projector on EventStoreDB positions', () => {
  it('applies every event of a multi-event append', async () => {
    const server = await EsdbTestServer.start({ initialLogPosition: 2n ** 60n });
    const dir = mkdtempSync(join(tmpdir(), 'vjt-esdb-projector-'));
    const events = EsdbEventStore.connect({ connectionString: server.connectionString, streamPrefixes: ['journey-'] });
    const readStore = SqliteReadStore.open({ directory: dir });
    const projector = new Projector(events, readStore, { batchSize: 10, retryMinMs: 10, retryMaxMs: 50, projections: [journeyProjection] });
    try {
      const journey = [identified({ journeyId: 'j-1' }), consented(), referred('2024-01-09')];
      const result = await events.append('journey-j-1', journey.map((e, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, type: e.type, data: e.data as any, metadata })), 'no_stream');
      await projector.start();
      expect(await projector.waitFor('journeys', result.position, 5000)).toBe(true);
      const doc = await readStore.collection<JourneyDocument>(await servingCollection(readStore, 'journeys', 'journeys')).findOne({ _id: 'j-1' });
      expect(doc).toMatchObject({ stage: 'awaiting_reasonable_grounds', lastRevision: 2, consent: { nrm_referral: { given: true } } });
    } finally {
      await projector.stop();
      await readStore.close();
      await events.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
