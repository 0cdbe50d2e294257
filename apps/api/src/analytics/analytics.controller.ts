import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pseudonymiser } from '../../../../libs/personal-data/src/pseudonyms';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { Allow } from '../auth/access-policy';
import type { AppConfig } from '../config';
import { ValidationFailed } from '../errors';
import { APP_CONFIG, PSEUDONYMISER, READ_STORE } from '../infrastructure/tokens';
import { journeysCollection } from '../journeys/reading/journeys-collection';
import { PageQueryDto } from './page-query.dto';
import { pseudonymisedJourney } from './pseudonymised-journey';

/** Analysts' view: pseudonymised journeys only (the aggregate read models come with issue 7). */
@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PSEUDONYMISER) private readonly pseudonyms: Pseudonymiser,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('analyst') @Get('journeys')
  @ApiOperation({ summary: 'Pseudonymised journeys, a page at a time: pseudonymous ids, months, age groups and codes; never personal data' })
  async journeys(@Query() query: PageQueryDto) {
    const pageSize = query.pageSize ?? 100;
    if (pageSize > this.config.maxPageSize) {
      throw new ValidationFailed([{ field: 'pageSize', rule: 'max', message: `pageSize must not be greater than ${this.config.maxPageSize}` }]);
    }
    const page = query.page ?? 1;
    const journeys = await journeysCollection(this.readStore);
    const [docs, total] = await Promise.all([
      journeys.find({}, { sort: { identifiedOn: 1, journeyId: 1 }, skip: (page - 1) * pageSize, limit: pageSize }),
      journeys.countDocuments({}),
    ]);
    return { items: docs.map((doc) => pseudonymisedJourney(doc, this.pseudonyms)), page, pageSize, total };
  }
}
