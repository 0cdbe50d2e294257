import { ValidateBy } from 'class-validator';
import * as C from '../../../../../libs/domain/src/codes';
import { BooleanField, CodeField, DateField, IntegerField } from '../../http/fields';

/** Answers are validated when contact was made (then each is required; "unknown" is an answer) or when sent anyway. */
const answered = { when: (o: RecordFollowUpDto, value: unknown) => o.contactMade === true || value !== undefined };

/** No contact is a fact, not missing data: without contact there can be no answers. */
const AbsentWithoutContact = () =>
  ValidateBy({
    name: 'absentWithoutContact',
    validator: {
      validate: (_value, args) => (args?.object as RecordFollowUpDto).contactMade !== false,
      defaultMessage: (args) => `${args?.property} must be absent when contactMade is false`,
    },
  });

export class RecordFollowUpDto {
  @DateField() occurredAt!: string;
  @IntegerField(1, 120, { description: 'Months since exit; the schedule is 1, 3, 6, 12, 24' }) monthsSinceExit!: number;
  @BooleanField() contactMade!: boolean;
  @AbsentWithoutContact() @CodeField(C.HOUSING, answered) housing?: C.Housing;
  @AbsentWithoutContact() @CodeField(C.OCCUPATIONS, answered) occupation?: C.Occupation;
  @AbsentWithoutContact() @CodeField(C.IMMIGRATION_STATUSES, answered) immigrationStatus?: C.ImmigrationStatus;
  @AbsentWithoutContact() @BooleanField(answered) destitute?: boolean;
  @AbsentWithoutContact() @BooleanField(answered) safeguardingConcern?: boolean;
  @AbsentWithoutContact() @BooleanField(answered) reExploitationReported?: boolean;
}
