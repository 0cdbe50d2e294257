import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DateField } from '../../http/fields';

export const STATE_BASES = ['recorded', 'occurred'] as const;
export type StateBasis = (typeof STATE_BASES)[number];

/** Query string of GET /journeys/:id/state: asOf or atPosition (neither: today), and the basis. */
export class JourneyStateQueryDto {
  @DateField({ optional: true, description: 'A UK date; defaults to today' }) asOf?: string;

  @ApiPropertyOptional({ description: 'A global position (decimal): the events at or before it (basis recorded only)' })
  @IsOptional()
  @Matches(/^\d{1,40}$/)
  atPosition?: string;

  @ApiPropertyOptional({
    enum: STATE_BASES, default: 'recorded',
    description: 'recorded: what was known then (events recorded by then); occurred: what is known now about that date (events that occurred by then, corrections applied)',
  })
  @IsOptional()
  @IsIn([...STATE_BASES])
  basis?: StateBasis;
}
