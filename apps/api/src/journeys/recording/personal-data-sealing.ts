import type { JourneyEvent } from '../../../../../libs/domain/src/events';
import type { PersonalDataVault } from '../../../../../libs/personal-data/src/personal-data-vault';

/**
 * Personal data leaves the process only sealed: each field of an identification's personal
 * details is encrypted with the journey's own data key before the event is appended, so the
 * event store never holds it in plain text and destroying the key erases it.
 */
export async function sealPersonalData(vault: PersonalDataVault, journeyId: string, events: JourneyEvent[]): Promise<JourneyEvent[]> {
  return Promise.all(events.map(async (event) => {
    if (event.type !== 'VictimIdentified' || !event.data.personalDetails) return event;
    return { ...event, data: { ...event.data, personalDetails: await vault.seal(journeyId, event.data.personalDetails) } };
  }));
}
