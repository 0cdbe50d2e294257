import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** GET /audit/verify: a range of global positions, both inclusive; absent means the whole log. */
export class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'First global position to verify (the chain before it is taken from the ledger, as verified by an earlier run)' })
  @IsOptional() @Matches(/^\d{1,40}$/, { message: 'from must be a global position (digits)' })
  from?: string;
  @ApiPropertyOptional({ description: 'Last global position to verify; absent: to the log\u2019s end, with the truncation checks' })
  @IsOptional() @Matches(/^\d{1,40}$/, { message: 'to must be a global position (digits)' })
  to?: string;
}

/** GET /audit/heads: newest first. The upper page size bound is MAX_PAGE_SIZE (checked by the controller). */
export class HeadsQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}
