import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import * as C from '../../../../../libs/domain/src/codes';
import { NATIONALITIES } from '../../../../../libs/domain/src/nationalities';
import { POLICE_FORCE_AREA_CODES } from '../../../../../libs/domain/src/police-force-areas';
import { BooleanField, CodeField, CodeListField, DateField, NestedField, SnakeCodeListField, TextField } from '../../http/fields';

export class FirstResponderDto {
  @TextField(100, { description: 'Identifier of the first responder organisation' }) organisationId!: string;
  @CodeField(C.ORGANISATION_TYPES) organisationType!: C.OrganisationType;
}

export class ContactDto {
  @TextField(50, { optional: true }) phone?: string;
  @TextField(254, { optional: true }) email?: string;
  @TextField(500, { optional: true }) address?: string;
}

/** Personal data (PII): name, date of birth, contact details, free-text notes. */
export class PersonalDetailsDto {
  @TextField(200, { optional: true }) name?: string;
  @DateField({ optional: true }) dateOfBirth?: string;
  @NestedField(() => ContactDto, { optional: true }) contact?: ContactDto;
  @TextField(5000, { optional: true }) notes?: string;
}

export class IdentifyVictimDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen journey id (UUID); generated when absent' })
  @IsOptional()
  @IsUUID()
  journeyId?: string;
  @DateField() occurredAt!: string;
  @NestedField(() => FirstResponderDto) firstResponder!: FirstResponderDto;
  @CodeField(C.AGE_GROUPS) ageGroup!: C.AgeGroup;
  @CodeField(C.GENDERS) gender!: C.Gender;
  @CodeField(NATIONALITIES, { description: 'ISO 3166-1 alpha-2, or unknown' }) nationality!: string;
  @CodeListField(C.EXPLOITATION_TYPES) exploitationTypes!: C.ExploitationType[];
  @BooleanField() countyLines!: boolean;
  @CodeField(C.EXPLOITATION_LOCATIONS) exploitationLocation!: C.ExploitationLocation;
  @CodeField(POLICE_FORCE_AREA_CODES, { description: 'ONS police force area code' }) policeForceArea!: string;
  @SnakeCodeListField(50) indicators!: string[];
  @NestedField(() => PersonalDetailsDto, { optional: true }) personalDetails?: PersonalDetailsDto;
}
