import { Inject, Logger } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { journeyStreamId } from '../../../../libs/domain/src/events';
import { foldJourney } from '../../../../libs/domain/src/journey/decider';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { SealedPersonalDetails } from '../../../../libs/personal-data/src/personal-details-shape';
import type { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';
import type { PersonalDetails } from '../../../../libs/domain/src/events';
import { AccessAuditUnavailable, JourneyNotFound } from '../errors';
import { EVENT_STORE, PERSONAL_DATA_VAULT } from '../infrastructure/tokens';
import { assertOnCaseload } from '../journeys/caseload';
import { toRecordedJourneyEvents } from '../journeys/recording/journey-stream';
import type { Actor } from '../journeys/recording/record-journey-step.command';
import { AccessPurpose, recordAccess } from './access-records';

export class ReadPersonalDetails {
  constructor(
    readonly journeyId: string,
    readonly actor: Actor,
    readonly purpose: AccessPurpose,
    readonly correlationId: string,
  ) {}
}

export interface PersonalDetailsRead {
  journeyId: string;
  /** held: shown below; none: never recorded; erased: destroyed for good on `erasedOn`. */
  status: 'held' | 'none' | 'erased';
  personalDetails: PersonalDetails | null;
  erasedOn: string | null;
  /** The access record this read left for auditors. */
  accessRecordId: string;
}

/**
 * A journey's personal details, opened from its own stream with its data key. Every read is
 * on the record first: the access record is appended before anything is opened, and if it
 * cannot be, nothing is shown.
 */
@QueryHandler(ReadPersonalDetails)
export class ReadPersonalDetailsHandler implements IQueryHandler<ReadPersonalDetails, PersonalDetailsRead> {
  private readonly logger = new Logger('PersonalData');

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute(query: ReadPersonalDetails): Promise<PersonalDetailsRead> {
    const stored = await this.events.readStream(journeyStreamId(query.journeyId));
    const history = toRecordedJourneyEvents(stored);
    const state = foldJourney(history);
    if (!state.identified) throw new JourneyNotFound(query.journeyId);
    assertOnCaseload(query.actor, state.caseloadOrganisationId, query.journeyId);
    const accessRecordId = await this.onRecord(query);
    const base = { journeyId: query.journeyId, accessRecordId, personalDetails: null, erasedOn: state.personalDataErasedOn ?? null };
    // As corrected: a correction of personal details holds them sealed under the same paths.
    const identification = state.facts.find((e) => e.type === 'VictimIdentified');
    const sealed = identification?.type === 'VictimIdentified' ? identification.data.personalDetails : undefined;
    if (state.personalDataErasedOn) return { ...base, status: 'erased' };
    if (!sealed) return { ...base, status: 'none' };
    const opened = await this.vault.open(query.journeyId, sealed as SealedPersonalDetails);
    return opened.status === 'erased' ? { ...base, status: 'erased' } : { ...base, status: 'held', personalDetails: opened.details };
  }

  private async onRecord(query: ReadPersonalDetails): Promise<string> {
    try {
      return await recordAccess(this.events, query.journeyId, query.actor, query.purpose, query.correlationId, new Date().toISOString());
    } catch (error) {
      this.logger.error(`Access record not written, read refused: ${error instanceof Error ? error.message : String(error)}`);
      throw new AccessAuditUnavailable();
    }
  }
}
