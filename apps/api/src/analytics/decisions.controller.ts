import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { DECISIONS } from '../../../../projections/analytics/facts/decisions';
import { RECONSIDERATIONS } from '../../../../projections/analytics/facts/reconsiderations';
import { WAITING } from '../../../../projections/analytics/facts/waiting';
import { Allow } from '../auth/access-policy';
import type { AppConfig } from '../config';
import { APP_CONFIG, READ_STORE } from '../infrastructure/tokens';
import { AnalyticsQueryDto, parseAnalyticsQuery, type AnalyticsQuery } from './analytics-query.dto';
import { loadCells } from './cube';
import { DecisionTimesQueryDto, ReconsiderationsQueryDto } from './decisions-query.dto';
import { buildReport } from './report';
import { backlogCells, backlogDefinition, openWaitsFilter } from './reports/backlog.report';
import { decisionCellsQuery, decisionDateOf, decisionTimesDefinition } from './reports/decision-times.report';
import { reconsiderationsDefinition } from './reports/reconsiderations.report';
import { sendReport } from './respond';

/** Decisions, their waits, the backlog awaiting them and reconsiderations (DOMAIN.md questions 1-3). */
@ApiTags('analytics')
@Controller('analytics')
export class DecisionsAnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('analyst') @Get('decision-times')
  @ApiOperation({ summary: 'Decisions in force at a stage: count, positive rate, median and 90th percentile wait; RG share within 5 working days' })
  async decisionTimes(@Query() dto: DecisionTimesQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const basis = dto.basis ?? 'decision';
    const { range, filter } = decisionCellsQuery(dto.stage, basis, { from: query.from, to: query.to });
    const cells = await loadCells(this.readStore, DECISIONS, { ...range, by: query.by }, filter);
    const report = buildReport(cells, decisionTimesDefinition(dto.stage), { ...this.options(query), dateOf: decisionDateOf(basis) });
    return sendReport(reply, { ...report, stage: dto.stage, basis }, query.format);
  }

  /** `from` and `to` do not apply: the backlog is a stock at one date, in the period holding `asOf`. */
  @Allow('analyst') @Get('backlog')
  @ApiOperation({ summary: 'Referrals awaiting RG, and positive-RG referrals awaiting CG, at the end of asOf (default today), with an age profile' })
  async backlog(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const waits = await loadCells(this.readStore, WAITING, { to: query.asOf }, openWaitsFilter(query.asOf));
    const report = buildReport(backlogCells(waits, query.asOf), backlogDefinition, { ...this.options(query), dateOf: () => query.asOf });
    return sendReport(reply, { ...report, asOf: query.asOf }, query.format);
  }

  @Allow('analyst') @Get('reconsiderations')
  @ApiOperation({ summary: 'Reconsideration requests, per negative decision, and how many were overturned' })
  async reconsiderations(@Query() dto: ReconsiderationsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, RECONSIDERATIONS, { from: query.from, to: query.to, by: query.by }, dto.stage ? { 'extra.stage': dto.stage } : {});
    const report = buildReport(cells, reconsiderationsDefinition, this.options(query));
    return sendReport(reply, dto.stage ? { ...report, stage: dto.stage } : report, query.format);
  }

  private options(query: AnalyticsQuery) {
    return { period: query.period, by: query.by, threshold: this.config.suppressionThreshold };
  }
}
