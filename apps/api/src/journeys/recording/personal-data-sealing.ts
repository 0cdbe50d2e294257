import type { FieldChange, JourneyEvent, PersonalDetails } from '../../../../../libs/domain/src/events';
import { isPersonalDetailsField } from '../../../../../libs/domain/src/journey/corrections';
import type { PersonalDataVault } from '../../../../../libs/personal-data/src/personal-data-vault';

/**
 * Personal data leaves the process only sealed: each field of an identification's personal
 * details is encrypted with the journey's own data key before the event is appended, so the
 * event store never holds it in plain text and destroying the key erases it. A correction's
 * new personal details are sealed the same way, under the path they take in the corrected
 * identification, so they open as if recorded there.
 */
export async function sealPersonalData(vault: PersonalDataVault, journeyId: string, events: JourneyEvent[]): Promise<JourneyEvent[]> {
  return Promise.all(events.map(async (event) => {
    if (event.type === 'RecordCorrected') {
      if (!event.data.changes.some(isPersonalChange)) return event;
      const changes = await Promise.all(event.data.changes.map((change) => (isPersonalChange(change) ? sealChange(vault, journeyId, change) : change)));
      return { ...event, data: { ...event.data, changes } };
    }
    if (event.type !== 'VictimIdentified' || !event.data.personalDetails) return event;
    return { ...event, data: { ...event.data, personalDetails: await vault.seal(journeyId, event.data.personalDetails) } };
  }));
}

/** A change that sets personal details (a removal, null, holds none). */
const isPersonalChange = (change: FieldChange) => isPersonalDetailsField(change.field) && change.value !== null;

/** Seals the value at its place in the personal details (`personalDetails.contact.phone` seals as `contact.phone`). */
async function sealChange(vault: PersonalDataVault, journeyId: string, change: FieldChange): Promise<FieldChange> {
  const path = change.field.split('.').slice(1);
  const details = path.reduceRight<unknown>((inner, name) => ({ [name]: inner }), change.value) as PersonalDetails;
  const sealed = path.reduce<unknown>((shape, name) => (shape as Record<string, unknown> | undefined)?.[name], await vault.seal(journeyId, details));
  // A value with no field to seal ({}) seals to nothing.
  return { ...change, value: sealed ?? {} };
}
