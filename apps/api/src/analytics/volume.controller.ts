import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { DATA_QUALITY } from '../../../../projections/analytics/facts/data-quality';
import { DECISIONS } from '../../../../projections/analytics/facts/decisions';
import { EXITS } from '../../../../projections/analytics/facts/exits';
import { FLOW } from '../../../../projections/analytics/facts/flow';
import { REFERRALS } from '../../../../projections/analytics/facts/referrals';
import { Allow } from '../auth/access-policy';
import type { AppConfig } from '../config';
import { ValidationFailed } from '../errors';
import { APP_CONFIG, READ_STORE } from '../infrastructure/tokens';
import { AnalyticsQueryDto, parseAnalyticsQuery } from './analytics-query.dto';
import { loadCells } from './cube';
import { dataQualityReport } from './reports/data-quality.report';
import { flowReport } from './reports/flow.report';
import { referralsReport } from './reports/referrals.report';
import { DEFAULT_REGION_BY, REGION_DIMENSIONS, regionsReport } from './reports/regions.report';
import { sendReport } from './respond';

/** Analysts' figures on volume, data quality and regional variation (DOMAIN.md questions 4, 8 and 9). */
@ApiTags('analytics')
@Controller('analytics')
export class VolumeAnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Allow('analyst') @Get('referrals')
  @ApiOperation({ summary: 'Referrals and re-referrals by referral date, distinct people, Duty to Notify reports; disclosure-controlled' })
  async referrals(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, REFERRALS, query);
    const report = referralsReport(cells, { period: query.period, by: query.by, threshold: this.config.suppressionThreshold, from: query.from });
    return sendReport(reply, report, query.format);
  }

  @Allow('analyst') @Get('flow')
  @ApiOperation({ summary: 'Journey flow by identification date: journeys reaching each stage (referral, RG, CG, exit, contact after exit, re-referral) and moving between them, with the Sankey diagram\u2019s nodes and links; disclosure-controlled' })
  async flow(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, FLOW, query);
    return sendReport(reply, flowReport(cells, { period: query.period, by: query.by, threshold: this.config.suppressionThreshold }), query.format);
  }

  @Allow('analyst') @Get('data-quality')
  @ApiOperation({ summary: 'Unknown values per field and suspected duplicate identifications, by identification date; disclosure-controlled' })
  async dataQuality(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const cells = await loadCells(this.readStore, DATA_QUALITY, query);
    return sendReport(reply, dataQualityReport(cells, { period: query.period, by: query.by, threshold: this.config.suppressionThreshold }), query.format);
  }

  @Allow('analyst') @Get('regions')
  @ApiOperation({ summary: 'Headline figures by region (default) or police force area: referrals, people, Duty to Notify, RG and CG decisions, exits; disclosure-controlled' })
  async regions(@Query() dto: AnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = parseAnalyticsQuery(dto);
    const by = dto.by === undefined ? DEFAULT_REGION_BY : query.by;
    const other = by.filter((d) => !REGION_DIMENSIONS.includes(d));
    if (other.length || by.length === 0) {
      throw new ValidationFailed([{ field: 'by', rule: 'isIn', message: `by must list region, policeForceArea or both${other.length ? ` (not ${other.join(', ')})` : ''}` }]);
    }
    const [referrals, decisions, exits] = await Promise.all([REFERRALS, DECISIONS, EXITS].map((family) => loadCells(this.readStore, family, { ...query, by })));
    const report = regionsReport({ referrals, decisions, exits }, { period: query.period, by, threshold: this.config.suppressionThreshold, from: query.from });
    return sendReport(reply, report, query.format);
  }
}
