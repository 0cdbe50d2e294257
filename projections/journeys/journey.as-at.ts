import { ukDateOf, type CalendarDate } from '../../libs/domain/src/calendar/calendar-date';
import type { FieldChange } from '../../libs/domain/src/events';
import { correctHistory } from '../../libs/domain/src/journey/corrections';
import { foldDocument, type ProjectedEvent } from '../projection';
import type { JourneyDocument } from './journey.document';
import { journeyProjection } from './journey.projection';

/**
 * A journey as it stood at a moment, folded from its events with the journey read model's
 * own evolve, so it has the read model's shape.
 *
 * - `recorded` (what was known then): the events recorded by the end of `asOf` (the UK date
 *   of recordedAt), or at or before global position `atPosition`, corrections among them
 *   applied. Corrections recorded later are listed, not applied. What was known is always a
 *   beginning of the stream: an event counts when it or any later event of the stream was
 *   recorded by `asOf`, since the stream's order is the order of recording and recordedAt is
 *   only the server clock's word for it (a clock set back makes it run backwards).
 * - `occurred` (what we now know about that date): every event known now, with every
 *   correction applied, whose occurredAt (as corrected) is on or before `asOf`. Corrections
 *   recorded after `asOf` are listed as applied.
 */
export type AsAt = { basis: 'recorded' | 'occurred'; asOf: CalendarDate } | { basis: 'recorded'; atPosition: bigint };

/** A correction that the knowledge of the moment asked about did not hold. */
export interface CorrectionNotice {
  correctionEventId: string;
  correctedEventId: string;
  recordedAt: string;
  position: string;
  changes: FieldChange[];
  reason: string;
  /** Whether the state shows the corrected values (basis occurred) or the ones known then (basis recorded). */
  applied: boolean;
}

export interface JourneyAsAt {
  document: JourneyDocument;
  /** The date the state stands at: `asOf`, or for a position the UK date its last event was recorded. */
  date: CalendarDate;
  corrections: CorrectionNotice[];
}

type Correction = Extract<ProjectedEvent, { type: 'RecordCorrected' }>;
type Fact = Exclude<ProjectedEvent, { type: 'RecordCorrected' }>;

const recordedOn = (event: ProjectedEvent) => ukDateOf(event.metadata.recordedAt);

/** The position of the last event of the stream known by the end of `asOf` (see AsAt), or -1. */
function lastKnownBy(events: readonly ProjectedEvent[], asOf: CalendarDate): bigint {
  for (let i = events.length - 1; i >= 0; i--) if (recordedOn(events[i]) <= asOf) return events[i].position;
  return -1n;
}

/** The journey as at `at`, or null when nothing of it counts by then. `events` are its stream, in order. */
export function journeyAsAt(events: readonly ProjectedEvent[], at: AsAt): JourneyAsAt | null {
  return 'asOf' in at && at.basis === 'occurred' ? asOccurred(events, at.asOf) : asRecorded(events, at);
}

function asRecorded(events: readonly ProjectedEvent[], at: AsAt): JourneyAsAt | null {
  const lastKnown = 'asOf' in at ? lastKnownBy(events, at.asOf) : at.atPosition;
  const known = (e: ProjectedEvent) => e.position <= lastKnown;
  const then = events.filter(known);
  const document = fold(then);
  if (!document) return null;
  const date = 'asOf' in at ? at.asOf : recordedOn(then[then.length - 1]);
  const included = new Set(then.map((e) => e.id));
  const later = corrections(events).filter((c) => !known(c) && included.has(c.data.correctedEventId));
  return { document, date, corrections: later.map((c) => notice(c, false)) };
}

function asOccurred(events: readonly ProjectedEvent[], asOf: CalendarDate): JourneyAsAt | null {
  const all = corrections(events);
  let facts = events.filter((e): e is Fact => e.type !== 'RecordCorrected');
  for (const correction of all) facts = correctHistory(facts, correction.data);
  const original = new Map(events.map((e) => [e.id, e.data.occurredAt]));
  const counted = facts.filter((fact) => fact.data.occurredAt <= asOf);
  const document = fold(counted);
  if (!document) return null;
  // A later correction matters if the event it corrects counts, or counted before it was corrected.
  const touched = new Set([...counted.map((f) => f.id), ...facts.filter((f) => original.get(f.id)! <= asOf).map((f) => f.id)]);
  const lastKnown = lastKnownBy(events, asOf);
  const later = all.filter((c) => c.position > lastKnown && touched.has(c.data.correctedEventId));
  return { document, date: asOf, corrections: later.map((c) => notice(c, true)) };
}

function fold(events: readonly ProjectedEvent[]): JourneyDocument | null {
  return foldDocument(journeyProjection, events).at(-1) ?? null;
}

const corrections = (events: readonly ProjectedEvent[]) => events.filter((e): e is Correction => e.type === 'RecordCorrected');

function notice(correction: Correction, applied: boolean): CorrectionNotice {
  const { correctedEventId, changes, reason } = correction.data;
  return {
    correctionEventId: correction.id, correctedEventId, recordedAt: correction.metadata.recordedAt,
    position: correction.position.toString(), changes, reason, applied,
  };
}
