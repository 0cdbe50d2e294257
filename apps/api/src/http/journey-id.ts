import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailed } from '../errors';

/** The `:id` of a journey route: a UUID, else a 400 naming the field. */
export const JourneyId = () =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => new ValidationFailed([{ field: 'id', rule: 'isUuid', message: 'id must be a journey id (UUID)' }]) }));
