import { BooleanField, DateField, SnakeCodeField, SnakeCodeListField } from '../../http/fields';

/** Codes from the UN Human Trafficking Case Data Standard; never perpetrators' names. */
export class RecordCircumstancesDto {
  @DateField() occurredAt!: string;
  @SnakeCodeField() recruitmentMethod!: string;
  @SnakeCodeListField(20) controlMethods!: string[];
  @SnakeCodeListField(20) perpetratorRoles!: string[];
  @SnakeCodeField() relationshipToPerpetrator!: string;
  @BooleanField() organisedCrimeGroup!: boolean;
  @SnakeCodeField() durationBand!: string;
  @SnakeCodeField() debtBand!: string;
}
