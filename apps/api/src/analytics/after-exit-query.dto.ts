import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { AnalyticsQueryDto } from './analytics-query.dto';

/** `GET /analytics/after-exit`: `survival=true` adds the Kaplan-Meier curve of days from exit to re-referral. */
export class AfterExitQueryDto extends AnalyticsQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Add a Kaplan-Meier curve of days from exit to re-referral, censored at asOf' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  survival?: boolean;
}
