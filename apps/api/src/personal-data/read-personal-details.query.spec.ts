import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { SqliteDataKeyStore } from '../../../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { KeyEncryptionKeys } from '../../../../libs/personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';
import { AccessAuditUnavailable } from '../errors';
import { accessStreamId } from './access-records';
import { ReadPersonalDetails, ReadPersonalDetailsHandler } from './read-personal-details.query';

const worker = { userId: 'w-1', role: 'support_worker', organisationId: 'org-1' };

describe('reading personal data fails closed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-personal-details-'));
  const events = SqliteEventStore.open({ directory: dir });
  const keys = SqliteDataKeyStore.open({ dataDir: dir });
  const vault = new PersonalDataVault({ store: keys, keks: KeyEncryptionKeys.from({ current: randomBytes(32) }) });
  const journeyId = '0b7c1f7e-1d3a-4c55-9a43-5d8a3a1f2b11';
  afterAll(async () => {
    await events.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    const personalDetails = await vault.seal(journeyId, { name: 'Ada Example' });
    await events.append(`journey-${journeyId}`, [{
      id: 'a1f1c3b2-1111-4111-8111-111111111111',
      type: 'VictimIdentified',
      data: {
        journeyId, occurredAt: '2024-01-08', firstResponder: { organisationId: 'police-1', organisationType: 'police' }, ageGroup: 'adult',
        gender: 'female', nationality: 'AL', exploitationTypes: ['labour'], countyLines: false, exploitationLocation: 'uk',
        policeForceArea: 'E23000001', indicators: [], caseloadOrganisationId: 'org-1', personalDetails,
      },
      metadata: { recordedAt: '2024-01-08T10:00:00Z', recordedBy: worker, commandId: 'c', correlationId: 'c', schemaVersion: 2 },
    }], 'no_stream');
  });

  it('shows the details once the access is on record', async () => {
    const read = await new ReadPersonalDetailsHandler(events, vault).execute(new ReadPersonalDetails(journeyId, worker, 'case_management', 'corr-1'));
    expect(read).toMatchObject({ status: 'held', personalDetails: { name: 'Ada Example' } });
    expect((await events.readStream(accessStreamId(journeyId))).map((e) => e.id)).toEqual([read.accessRecordId]);
  });

  it('refuses the read, and opens nothing, when the access record cannot be written', async () => {
    const failingAppends: EventStore = Object.assign(Object.create(events), { append: () => Promise.reject(new Error('disk full')) });
    const opened = jest.spyOn(vault, 'open');
    await expect(new ReadPersonalDetailsHandler(failingAppends, vault).execute(new ReadPersonalDetails(journeyId, worker, 'audit', 'corr-2')))
      .rejects.toBeInstanceOf(AccessAuditUnavailable);
    expect(opened).not.toHaveBeenCalled();
    expect(await events.readStream(accessStreamId(journeyId))).toHaveLength(1);
  });
});
