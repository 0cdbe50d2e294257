import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';
import { Allow } from '../auth/access-policy';
import { actorOf } from '../auth/access.guard';
import { ValidationFailed } from '../errors';
import { JourneyId } from '../http/journey-id';
import { correlationIdOf } from '../http/command-request';
import { EVENT_STORE, PERSONAL_DATA_VAULT, REQUEST_HASHER } from '../infrastructure/tokens';
import type { RequestHasher } from '../http/request-hasher';
import { journeyStep, stepRecorded, today } from '../journeys/journeys.controller';
import { ErasePersonalDataDto } from '../journeys/steps';
import { ACCESS_PURPOSES, AccessPurpose, readAccessRecords } from './access-records';
import { ErasePersonalData } from './erase-personal-data.handler';
import { ReadPersonalDetails } from './read-personal-details.query';

const Id = JourneyId;

/** Personal data: reading it on the record, who read it, erasing it, rotating the keys that guard it. */
@ApiTags('personal data')
@Controller()
export class PersonalDataController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(REQUEST_HASHER) private readonly hasher: RequestHasher,
  ) {}

  @Allow('support_worker', 'auditor') @Get('journeys/:id/personal-details')
  @ApiOperation({ summary: 'The person’s personal details; every read leaves an access record first, or is refused (503)' })
  @ApiHeader({ name: 'X-Purpose', required: true, enum: ACCESS_PURPOSES, description: 'Why the personal data is read' })
  personalDetails(@Id() id: string, @Headers('x-purpose') purpose: string | undefined, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('Cache-Control', 'no-store');
    return this.queries.execute(new ReadPersonalDetails(id, actorOf(req), purposeOf(purpose), correlationIdOf(req)));
  }

  @Allow('auditor') @Get('journeys/:id/access-records')
  @ApiOperation({ summary: 'Who read the journey’s personal data, when and why (never the data itself)' })
  accessRecords(@Id() id: string) {
    return readAccessRecords(this.events, id);
  }

  @Allow('admin') @Post('journeys/:id/erasure') @HttpCode(201)
  @ApiOperation({ summary: 'Erase the person’s personal data: records PersonalDataErased and destroys the journey’s key' })
  async erase(@Id() id: string, @Body() body: ErasePersonalDataDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = JSON.parse(JSON.stringify(body));
    const step = journeyStep(req, this.hasher, id, { type: 'ErasePersonalData', data: { ...data, occurredAt: data.occurredAt ?? today() } });
    return stepRecorded(reply, await this.commands.execute(new ErasePersonalData(step)));
  }

  @Allow('admin') @Post('keys/rotation') @HttpCode(200)
  @ApiOperation({ summary: 'Rewrap every journey’s data key under the current key-encryption key (after KEY_ENCRYPTION_KEY changed)' })
  rotate() {
    return this.vault.rotate();
  }
}

function purposeOf(value: string | undefined): AccessPurpose {
  if (value !== undefined && (ACCESS_PURPOSES as readonly string[]).includes(value)) return value as AccessPurpose;
  throw new ValidationFailed([{
    field: 'X-Purpose', rule: value === undefined ? 'required' : 'isIn',
    message: `X-Purpose must say why personal data is read: one of ${ACCESS_PURPOSES.join(', ')}`,
  }]);
}
