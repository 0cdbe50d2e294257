import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { JOURNEY_STATUSES, JourneyStatus } from '../../../../projections/journeys/journey.view';
import { REFERENCE } from './steps/refer-victim.dto';

/** Query string of GET /journeys. The upper page size bound is MAX_PAGE_SIZE (checked in the controller). */
export class CaseloadQueryDto {
  @ApiPropertyOptional({ enum: JOURNEY_STATUSES }) @IsOptional() @IsIn(JOURNEY_STATUSES) status?: JourneyStatus;
  @ApiPropertyOptional({ description: 'Caseload organisation id (a support worker sees their own only)' }) @IsOptional() @IsString() @MaxLength(100) organisation?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'Only journeys with an RG decision past target or a follow-up due (false: only those without)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({
    description: 'A referral reference, e.g. NRM-2024-00011: the journeys whose current or an earlier referral has it (exact, ignoring case and surrounding spaces)',
    maxLength: 64, pattern: REFERENCE.source,
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsString()
  @MaxLength(64)
  @Matches(REFERENCE, { message: 'reference must be a referral reference: letters, digits and _ - / . (e.g. NRM-2024-00011)' })
  reference?: string;
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
  @ApiPropertyOptional({ description: 'Wait until the read model has applied this position (from a command response)' })
  @IsOptional()
  @Matches(/^\d{1,40}$/)
  minPosition?: string;
}
