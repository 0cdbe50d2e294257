import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A page of results; the upper page size bound is MAX_PAGE_SIZE (checked by the controller). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ minimum: 1, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}
