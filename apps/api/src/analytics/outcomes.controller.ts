import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { AFTER_EXIT } from '../../../../projections/analytics/facts/after-exit';
import { CARE } from '../../../../projections/analytics/facts/care';
import { EXITS } from '../../../../projections/analytics/facts/exits';
import { Allow } from '../auth/access-policy';
import type { AppConfig } from '../config';
import { APP_CONFIG, READ_STORE } from '../infrastructure/tokens';
import { AfterExitQueryDto } from './after-exit-query.dto';
import { AnalyticsQueryDto, parseAnalyticsQuery, type AnalyticsQuery } from './analytics-query.dto';
import { loadCells } from './cube';
import { afterExitReport } from './reports/after-exit.report';
import { careReport } from './reports/care.report';
import { exitsReport } from './reports/exits.report';
import { sendReport } from './respond';

/** Care, exits and what happened after exit (DOMAIN.md questions 5-7). */
@ApiTags('analytics')
@Controller('analytics')
export class OutcomesAnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('analyst') @Get('care')
  @ApiOperation({ summary: 'Care by referral cohort: needs assessed within 10 days, days to first care, outreach only, services received, cost per person' })
  async care(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, CARE, query);
    return sendReport(reply, careReport(cells, { ...this.options(query), from: query.from }), query.format);
  }

  @Allow('analyst') @Get('exits')
  @ApiOperation({ summary: 'Exits from support by exit date: reasons, median days in support, stable housing, leave to remain, lost contact' })
  async exits(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, EXITS, query);
    return sendReport(reply, exitsReport(cells, this.options(query)), query.format);
  }

  @Allow('analyst') @Get('after-exit')
  @ApiOperation({ summary: 'Exit cohorts as at asOf: follow-up response at 1-24 months, re-referral within 12 and 24 months, re-exploitation, destitution; survival=true adds a Kaplan-Meier curve' })
  async afterExit(@Query() dto: AfterExitQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, AFTER_EXIT, query);
    const report = afterExitReport(cells, { ...this.options(query), asOf: query.asOf, survival: dto.survival ?? false });
    return sendReport(reply, report, query.format);
  }

  private options(query: AnalyticsQuery) {
    return { period: query.period, by: query.by, threshold: this.config.suppressionThreshold };
  }
}
