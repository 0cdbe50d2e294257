import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addDays, ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';
import { journeyStreamId } from '../../../../../libs/domain/src/events';
import { decide } from '../../../../../libs/domain/src/journey/decide';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import { SqliteEventStore } from '../../../../../libs/event-store/src/embedded/sqlite-event-store';
import type { StoredEvent } from '../../../../../libs/event-store/src/event-store.port';
import { CURRENT_SCHEMA_VERSION } from '../../../../../libs/domain/src/upcasting';
import type { JourneyDocument } from '../../../../../projections/journeys/journey.document';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import { viewJourney } from '../../../../../projections/journeys/journey.view';
import { foldDocument, type ProjectedEvent } from '../../../../../projections/projection';
import { generateJourneys, seedEventStore, type GeneratedJourney } from '../../../../../seeds';
import { Random } from '../../../../../seeds/random';
import { toProjectedEvent } from '../../../../projector/src/projected-events';
import { JourneyNotFound } from '../../errors';
import { toRecordedJourneyEvents } from '../recording/journey-stream';
import { readJourneyState } from './journey-state';

/**
 * Property: the state as recorded by a date (or at a position) is exactly the fold of the
 * events recorded by then, over random journeys from the seed generator, some with
 * corrections recorded later; on the occurred basis, a journey without corrections is the
 * fold of the events that occurred by then.
 */
const AUDITOR = { userId: 'auditor-1', role: 'auditor', organisationId: 'nrm-audit' };
const OPTIONS = { journeys: 12, seed: 808, today: '2026-11-01' };
const journeys = [...generateJourneys(OPTIONS)];
const rng = Random.from('journey-state-spec');

let directory: string;
let store: SqliteEventStore;
beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-state-'));
  store = SqliteEventStore.open({ directory });
  await seedEventStore(store, { seal: async () => ({}) }, OPTIONS);
  // Every third journey with a decision gets a correction of it, recorded days after the journey's last event.
  for (const journey of journeys.filter((j) => j.events.some((e) => e.type === 'DecisionMade')).filter((_, i) => i % 3 === 0)) {
    await correctLater(journey);
  }
});
afterAll(async () => {
  await store.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Appends a correction of the journey's first decision's reason code, decided by the domain. */
async function correctLater(journey: GeneratedJourney): Promise<void> {
  const stored = await store.readStream(journeyStreamId(journey.journeyId));
  const decision = stored.find((e) => e.type === 'DecisionMade')!;
  const last = stored[stored.length - 1];
  const recordedAt = new Date(Date.parse(last.metadata.recordedAt) + rng.int(1, 40) * 86_400_000).toISOString();
  const data = { occurredAt: ukDateOf(recordedAt), correctedEventId: decision.id, changes: [{ field: 'reasonCode', value: 'corrected_on_review' }], reason: 'review' };
  const [event] = decide({ type: 'CorrectRecord', data, now: recordedAt }, foldJourney(toRecordedJourneyEvents(stored)));
  await store.append(journeyStreamId(journey.journeyId), [{
    id: `${journey.journeyId}-correction`, type: event.type, data: event.data as unknown as Record<string, unknown>,
    metadata: { recordedAt, recordedBy: AUDITOR, commandId: 'c', correlationId: 'c', schemaVersion: CURRENT_SCHEMA_VERSION[event.type] },
  }], last.revision);
}

function fold(events: readonly StoredEvent[]): JourneyDocument | null {
  return foldDocument(journeyProjection, events.map((e) => toProjectedEvent(e) as ProjectedEvent)).at(-1) ?? null;
}

/** The dates around every recording day of the journey, and a few at random between its first and last. */
function datesToTry(stored: readonly StoredEvent[]): string[] {
  const days = [...new Set(stored.map((e) => ukDateOf(e.metadata.recordedAt)))];
  const random = Array.from({ length: 4 }, () => addDays(days[0], rng.int(0, 900)));
  return [...new Set([...days, ...days.map((d) => addDays(d, -1)), ...random])].sort();
}

async function stateOrNull(journeyId: string, query: Parameters<typeof readJourneyState>[3]) {
  try {
    return await readJourneyState(store, journeyId, AUDITOR, query);
  } catch (error) {
    if (error instanceof JourneyNotFound) return null;
    throw error;
  }
}

describe('the state as recorded by a date is the fold of exactly the events recorded by then', () => {
  it('covers journeys with later corrections', async () => {
    const corrected = [];
    for (const j of journeys) {
      const stored = await store.readStream(journeyStreamId(j.journeyId));
      if (stored.some((e) => e.type === 'RecordCorrected')) corrected.push(j.journeyId);
    }
    expect(corrected.length).toBeGreaterThanOrEqual(2);
  });
  it.each(journeys.map((j, i) => [i, j.journeyId]))('journey %i', async (_i, journeyId) => {
    const stored = await store.readStream(journeyStreamId(journeyId));
    for (const date of datesToTry(stored)) {
      const recordedByThen = stored.filter((e) => ukDateOf(e.metadata.recordedAt) <= date);
      const expected = fold(recordedByThen);
      const actual = await stateOrNull(journeyId, { asOf: date });
      if (!expected) {
        expect([date, actual]).toEqual([date, null]);
        continue;
      }
      const { basis, atPosition, corrections, ...view } = actual!;
      expect([date, view]).toEqual([date, viewJourney(expected, date)]);
      expect([basis, atPosition]).toEqual(['recorded', null]);
      // A correction recorded later is listed, not applied.
      const pending = stored.filter((e) => e.type === 'RecordCorrected' && !recordedByThen.includes(e) && recordedByThen.some((r) => r.id === e.data.correctedEventId));
      expect(corrections.map((c) => [c.correctionEventId, c.applied])).toEqual(pending.map((e) => [e.id, false]));
    }
  });
});

describe('the state at a position is the fold of exactly the events at or before it', () => {
  it.each(journeys.map((j, i) => [i, j.journeyId]))('journey %i', async (_i, journeyId) => {
    const stored = await store.readStream(journeyStreamId(journeyId));
    for (const position of stored.flatMap((e) => [e.position - 1n, e.position])) {
      const expected = fold(stored.filter((e) => e.position <= position));
      const actual = await stateOrNull(journeyId, { atPosition: position.toString() });
      if (!expected) {
        expect(actual).toBeNull();
        continue;
      }
      const lastRecorded = ukDateOf(stored.filter((e) => e.position <= position).pop()!.metadata.recordedAt);
      const { basis, atPosition, corrections: _c, ...view } = actual!;
      expect(view).toEqual(viewJourney(expected, lastRecorded));
      expect([basis, atPosition]).toEqual(['recorded', position.toString()]);
    }
  });
});

describe('on the occurred basis, a journey is the fold of the events that occurred by then, as corrected', () => {
  it.each(journeys.map((j, i) => [i, j.journeyId]))('journey %i', async (_i, journeyId) => {
    const stored = await store.readStream(journeyStreamId(journeyId));
    const correction = stored.find((e) => e.type === 'RecordCorrected');
    const asCorrected = stored.filter((e) => e !== correction).map((e) =>
      (correction && e.id === correction.data.correctedEventId ? { ...e, data: { ...e.data, reasonCode: 'corrected_on_review' } } : e));
    const occurredDays = [...new Set(stored.map((e) => String(e.data.occurredAt)))];
    for (const date of [...occurredDays, ...occurredDays.map((d) => addDays(d, -1))]) {
      const occurred = asCorrected.filter((e) => String(e.data.occurredAt) <= date);
      const expected = fold(occurred);
      const actual = await stateOrNull(journeyId, { asOf: date, basis: 'occurred' });
      if (!expected) {
        expect(actual).toBeNull();
        continue;
      }
      const { basis, atPosition: _p, corrections, ...view } = actual!;
      expect([date, view]).toEqual([date, viewJourney(expected, date)]);
      expect(basis).toBe('occurred');
      const counted = correction && occurred.some((e) => e.id === correction.data.correctedEventId) && ukDateOf(correction.metadata.recordedAt) > date;
      expect(corrections.map((c) => c.applied)).toEqual(counted ? [true] : []);
    }
  });
});
