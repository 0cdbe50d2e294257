import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ukDateOf } from '../../../../libs/domain/src/calendar/calendar-date';
import { Period, PERIODS } from '../../../../projections/analytics/aggregate';
import { Dimension, DIMENSIONS } from '../../../../projections/analytics/dimensions';
import { DateField } from '../http/fields';
import { ValidationFailed } from '../errors';

/** The parameters every analytics route shares. */
export class AnalyticsQueryDto {
  @DateField({ optional: true, description: 'First date counted (inclusive)' }) from?: string;
  @DateField({ optional: true, description: 'Last date counted (inclusive)' }) to?: string;
  @ApiPropertyOptional({ enum: PERIODS, default: 'quarter' }) @IsOptional() @IsIn(PERIODS) period?: Period;
  @ApiPropertyOptional({ description: `Comma-separated dimensions: ${DIMENSIONS.join(', ')}` })
  @IsOptional()
  @Matches(/^[A-Za-z]+(,[A-Za-z]+)*$/, { message: 'by must be a comma-separated list of dimensions' })
  by?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @DateField({ optional: true, description: 'The date figures are as at (default today)' }) asOf?: string;
}

export interface AnalyticsQuery {
  from?: string;
  to?: string;
  period: Period;
  by: Dimension[];
  format: 'json' | 'csv';
  asOf: string;
}

export function parseAnalyticsQuery(dto: AnalyticsQueryDto): AnalyticsQuery {
  const by = (dto.by ?? '').split(',').filter(Boolean);
  const unknown = by.filter((d) => !(DIMENSIONS as readonly string[]).includes(d));
  const problems = [
    ...(unknown.length ? [{ field: 'by', rule: 'isIn', message: `by must list dimensions among ${DIMENSIONS.join(', ')} (not ${unknown.join(', ')})` }] : []),
    ...(new Set(by).size !== by.length ? [{ field: 'by', rule: 'unique', message: 'by must not repeat a dimension' }] : []),
    ...(dto.from && dto.to && dto.from > dto.to ? [{ field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' }] : []),
  ];
  if (problems.length) throw new ValidationFailed(problems);
  return { from: dto.from, to: dto.to, period: dto.period ?? 'quarter', by: by as Dimension[], format: dto.format ?? 'json', asOf: dto.asOf ?? ukDateOf(new Date().toISOString()) };
}
