import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AUDIT_LEDGER, ledgerId, type LedgerEntry } from '../../../../../libs/audit/src/ledger';
import { journeyStreamId } from '../../../../../libs/domain/src/events';
import { consented, identified } from '../../../../../libs/domain/test-support/journey-fixtures';
import { SqliteEventStore } from '../../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../../libs/read-store/src/embedded/sqlite-read-store';
import { JourneyNotFound } from '../../errors';
import { readJourneyHistory } from './journey-history';

const JOURNEY = '3f6f1a52-4a8e-4e55-9d57-1b0c8a4f2d10';
const WORKER = { userId: 'worker-1', role: 'support_worker', organisationId: 'org-ngo-1' };
const AUDITOR = { userId: 'auditor-1', role: 'auditor', organisationId: 'nrm-audit' };
const meta = (recordedAt: string, recordedBy = WORKER, schemaVersion = 1) => ({ recordedAt, recordedBy, commandId: `cmd-${recordedAt}`, correlationId: 'corr-1', schemaVersion });

let directory: string;
let events: SqliteEventStore;
let readStore: SqliteReadStore;
beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-history-'));
  events = SqliteEventStore.open({ directory });
  readStore = SqliteReadStore.open({ directory });
  const identification = identified({ journeyId: JOURNEY, personalDetails: { name: 'pd1:c2VhbGVk:bmFtZQ' } });
  await events.append(journeyStreamId(JOURNEY), [
    { id: 'e-0', type: identification.type, data: identification.data as any, metadata: meta('2024-01-08T10:00:00Z', WORKER, 2) },
    { id: 'e-1', type: 'ConsentRecorded', data: consented().data as any, metadata: meta('2024-01-08T11:00:00Z') },
  ], 'no_stream');
  await events.append(journeyStreamId(JOURNEY), [{
    id: 'e-2', type: 'RecordCorrected', metadata: meta('2024-02-01T09:00:00Z', AUDITOR),
    data: { occurredAt: '2024-02-01', correctedEventId: 'e-1', changes: [{ field: 'language', value: 'en' }], reason: 'interpreter notes' },
  }], 1n);
  // The ledger has chained the first two events only: it trails the log.
  const ledger = readStore.collection<LedgerEntry>(AUDIT_LEDGER);
  for (const position of [0n, 1n]) {
    await ledger.insertOne({ _id: ledgerId(position), streamId: journeyStreamId(JOURNEY), revision: String(position), eventHash: `event-${position}`, streamHash: `stream-${position}`, globalHash: `global-${position}` });
  }
});
afterAll(async () => {
  await events.close();
  await readStore.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe('a journey’s history', () => {
  it('lists every event as stored, with provenance, ledger hashes where chained, and the corrections of each', async () => {
    const history = await readJourneyHistory(events, readStore, JOURNEY, AUDITOR);
    expect(history.events).toEqual([
      {
        eventId: 'e-0', revision: 0, position: '0', type: 'VictimIdentified', occurredAt: '2024-01-08', recordedAt: '2024-01-08T10:00:00Z',
        recordedBy: WORKER, commandId: 'cmd-2024-01-08T10:00:00Z', correlationId: 'corr-1', schemaVersion: 2,
        data: expect.objectContaining({ personalDetails: { name: 'pd1:c2VhbGVk:bmFtZQ' } }),
        hash: { eventHash: 'event-0', streamHash: 'stream-0', globalHash: 'global-0' }, correctedBy: [],
      },
      expect.objectContaining({ eventId: 'e-1', data: expect.objectContaining({ language: 'sq' }), hash: expect.objectContaining({ eventHash: 'event-1' }), correctedBy: ['e-2'] }),
      expect.objectContaining({ eventId: 'e-2', type: 'RecordCorrected', occurredAt: '2024-02-01', recordedBy: AUDITOR, hash: null, correctedBy: [] }),
    ]);
  });

  it('is a support worker’s on their own caseload only, and unknown journeys are not found', async () => {
    await expect(readJourneyHistory(events, readStore, JOURNEY, WORKER)).resolves.toBeDefined();
    await expect(readJourneyHistory(events, readStore, JOURNEY, { ...WORKER, organisationId: 'org-other' })).rejects.toBeInstanceOf(JourneyNotFound);
    await expect(readJourneyHistory(events, readStore, '00000000-0000-4000-8000-000000000000', AUDITOR)).rejects.toBeInstanceOf(JourneyNotFound);
  });
});
