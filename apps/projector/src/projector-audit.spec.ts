import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { readLedgerState } from '../../../libs/audit/src/ledger';
import { AUDIT_HEADS } from '../../../libs/audit/src/signed-heads';
import { AuditSigningKey } from '../../../libs/audit/src/signing-key';
import { anEvent } from '../../../libs/audit/src/testing/audit-fixtures';
import { journeyProjection } from '../../../projections/journeys/journey.projection';
import { Projector } from './projector';

describe('the projector with the audit ledger', () => {
  it('keeps the ledger and signs heads while it runs, and stops the keeper with itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vjt-projector-audit-'));
    const events = SqliteEventStore.open({ directory: dir });
    const readStore = SqliteReadStore.open({ directory: dir });
    const projector = new Projector(events, readStore, {
      batchSize: 10, retryMinMs: 10, retryMaxMs: 50, projections: [journeyProjection],
      audit: { signingKey: AuditSigningKey.generate(), headIntervalMs: 0 },
    });
    try {
      await events.append('journey-a', [anEvent(), anEvent()], 'no_stream');
      await projector.start();
      for (let i = 0; i < 200 && (await readLedgerState(readStore))?.position !== '2'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await readLedgerState(readStore))?.position).toBe('2'); // two events, then the head signed after catching up
      expect(await readStore.collection(AUDIT_HEADS).countDocuments({})).toBe(1);
      await projector.stop();
      await events.append('journey-a', [anEvent()], 'stream_exists');
      await new Promise((r) => setTimeout(r, 50));
      expect((await readLedgerState(readStore))?.position).toBe('2');
    } finally {
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
