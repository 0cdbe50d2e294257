import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';
import type { Filter, ReadStore } from '../../../../../libs/read-store/src/read-store.port';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import { journeysCollection } from './journeys-collection';
import { CASELOAD_ORDER, CaseloadCriteria, caseloadFilter, viewJourney } from '../../../../../projections/journeys/journey.view';
import type { AppConfig } from '../../config';
import { APP_CONFIG, PROJECTOR, READ_STORE } from '../../infrastructure/tokens';
import { caseloadScope } from '../caseload';
import type { Actor } from '../recording/record-journey-step.command';
import { awaitProjection, ProjectionProgress } from './read-your-writes';

export class ListJourneys {
  constructor(
    readonly criteria: CaseloadCriteria & { reference?: string },
    readonly actor: Actor,
    readonly page: number,
    readonly pageSize: number,
    readonly minPosition?: bigint,
  ) {}
}

export interface CaseloadPage {
  items: CaseloadItem[];
  page: number;
  pageSize: number;
  total: number;
  asOf: string;
}

export type CaseloadItem = Omit<ReturnType<typeof viewJourney>, 'episodes' | 'indicators' | 'consent'> & { episodeCount: number };

/** A caseload: journeys matching the filters, most overdue first, one page at a time; a support worker's own organisation only. */
@QueryHandler(ListJourneys)
export class ListJourneysHandler implements IQueryHandler<ListJourneys, CaseloadPage> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly progress: ProjectionProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: ListJourneys): Promise<CaseloadPage> {
    await awaitProjection(this.progress, journeyProjection.name, query.minPosition, this.config.readYourWritesTimeoutMs);
    const today = ukDateOf(new Date().toISOString());
    const journeys = await journeysCollection(this.readStore);
    const scope = caseloadScope(query.actor);
    if (scope && query.criteria.organisationId && query.criteria.organisationId !== scope) {
      return { items: [], page: query.page, pageSize: query.pageSize, total: 0, asOf: today };
    }
    const { reference, ...criteria } = query.criteria;
    const filter = allOf(caseloadFilter({ ...criteria, organisationId: scope ?? criteria.organisationId }, today), reference ? referenceFilter(reference) : {});
    const [docs, total] = await Promise.all([
      journeys.find(filter, { sort: CASELOAD_ORDER, skip: (query.page - 1) * query.pageSize, limit: query.pageSize }),
      journeys.countDocuments(filter),
    ]);
    const items = docs.map((doc) => {
      const { episodes, indicators, consent, ...item } = viewJourney(doc, today);
      return { ...item, episodeCount: episodes.length };
    });
    return { items, page: query.page, pageSize: query.pageSize, total, asOf: today };
  }
}

/**
 * The journeys with a referral reference: the current referral is the last episode's, so
 * `episodes.referralId` holds the current and every earlier one. Exact but for case (the
 * reference is checked against REFERENCE, so its only special character, '.', is escaped).
 */
export function referenceFilter(reference: string): Filter {
  return { 'episodes.referralId': { $regex: `^${reference.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: 'i' } };
}

/** Filters that must all hold, as one top-level `$and` (where the read store's indexes see each condition). */
function allOf(...filters: Filter[]): Filter {
  const all = filters.flatMap((f) => (Object.keys(f).length === 1 && Array.isArray(f.$and) ? f.$and : Object.keys(f).length === 0 ? [] : [f]));
  return all.length === 0 ? {} : all.length === 1 ? all[0] : { $and: all };
}
