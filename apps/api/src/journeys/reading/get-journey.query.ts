import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';
import { journeyStreamId, PersonalDetails } from '../../../../../libs/domain/src/events';
import type { EventStore } from '../../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../../libs/read-store/src/read-store.port';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import { journeysCollection } from './journeys-collection';
import { JourneyView, viewJourney } from '../../../../../projections/journeys/journey.view';
import type { AppConfig } from '../../config';
import { JourneyNotFound } from '../../errors';
import { APP_CONFIG, EVENT_STORE, PROJECTOR, READ_STORE } from '../../infrastructure/tokens';
import { awaitProjection, ProjectionProgress } from './read-your-writes';

export class GetJourney {
  constructor(
    readonly journeyId: string,
    readonly minPosition?: bigint,
  ) {}
}

export type JourneyDetail = JourneyView & { personalDetails: PersonalDetails | null };

/**
 * One journey as its support worker sees it: the read model, today's waits, and the
 * personal details. Personal data is never copied into read models; it is read from the
 * journey's own stream, where erasure (issue 6) can reach it.
 */
@QueryHandler(GetJourney)
export class GetJourneyHandler implements IQueryHandler<GetJourney, JourneyDetail> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PROJECTOR) private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: GetJourney): Promise<JourneyDetail> {
    await awaitProjection(this.progress, journeyProjection.name, query.minPosition, this.config.readYourWritesTimeoutMs);
    const doc = await (await journeysCollection(this.readStore)).findOne({ _id: query.journeyId });
    if (!doc) throw new JourneyNotFound(query.journeyId);
    const view = viewJourney(doc, ukDateOf(new Date().toISOString()));
    return { ...view, personalDetails: await this.personalDetails(query.journeyId) };
  }

  private async personalDetails(journeyId: string): Promise<PersonalDetails | null> {
    const [first] = await this.events.readStream(journeyStreamId(journeyId));
    return first?.type === 'VictimIdentified' ? ((first.data.personalDetails as PersonalDetails | undefined) ?? null) : null;
  }
}
