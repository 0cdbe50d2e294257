import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventToAppend } from '../../libs/event-store/src/event-store.port';
import { elapsedMs, median, percentiles, round, type LatencySummary } from '../stats';

/**
 * Scenario 2 of issue 9: appends through the event-store port on the embedded store, durable
 * (WAL, synchronous=FULL: every acknowledged append is fsynced), one caller at a time, 1 and
 * 10 events per call, each call to its own new stream (expected revision no_stream). Several
 * runs; the result is the median run's rate and the latencies of all calls.
 */
export interface StoreAppendResult {
  eventsPerCall: number;
  calls: number;
  runs: number;
  callsPerSecond: number;
  eventsPerSecond: number;
  latencyMs: LatencySummary;
}

/** The event both stores append in scenario 2 (and the peer's twin of it). */
export const careProvided = (i: number): EventToAppend => ({
  id: randomUUID(),
  type: 'CareProvided',
  data: { occurredAt: '2024-01-10', service: 'outreach', providerId: `provider-${i % 50}`, startedOn: '2024-01-10', costPence: 12_000 },
  metadata: { recordedAt: new Date().toISOString(), recordedBy: { userId: 'bench', role: 'support_worker', organisationId: 'bench' }, commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
});

export async function storeAppends(eventsPerCall: number, calls: number, runs: number): Promise<StoreAppendResult> {
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let run = 0; run < runs; run++) {
    const directory = mkdtempSync(join(tmpdir(), 'vjt-bench-store-'));
    const store = SqliteEventStore.open({ directory });
    try {
      const started = process.hrtime.bigint();
      for (let call = 0; call < calls; call++) {
        const batch = Array.from({ length: eventsPerCall }, (_, i) => careProvided(call * eventsPerCall + i));
        const t = process.hrtime.bigint();
        await store.append(`journey-${randomUUID()}`, batch, 'no_stream');
        latencies.push(elapsedMs(t));
      }
      rates.push(calls / (elapsedMs(started) / 1000));
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }
  const callsPerSecond = round(median(rates), 0);
  return { eventsPerCall, calls, runs, callsPerSecond, eventsPerSecond: callsPerSecond * eventsPerCall, latencyMs: percentiles(latencies) };
}
