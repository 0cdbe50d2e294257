import { DateField, TextField } from '../../http/fields';
import { REFERENCE } from './refer-victim.dto';

export class RequestReconsiderationDto {
  @DateField({ optional: true, description: 'Defaults to requestedOn' }) occurredAt?: string;
  @TextField(64, { pattern: REFERENCE }) referralId!: string;
  @TextField(64, { description: 'eventId of the decision, as GET /journeys/:id lists it' }) decisionEventId!: string;
  @DateField() requestedOn!: string;
}
