import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { JourneyCommand } from '../../../../libs/domain/src/journey/commands';
import { actorOf, correlationIdOf, idempotencyClaimOf } from '../http/command-request';
import { etag, parseIfMatch, parseMinPosition } from '../http/revision-headers';
import { CaseloadQueryDto } from './caseload-query.dto';
import { GetJourney } from './reading/get-journey.query';
import { ListJourneys } from './reading/list-journeys.query';
import { JourneyStepRecorded, RecordJourneyStep } from './recording/record-journey-step.command';
import * as Steps from './steps';
import type { AppConfig } from '../config';
import { ValidationFailed } from '../errors';
import { APP_CONFIG } from '../infrastructure/tokens';

const Id = () => Param('id', new ParseUUIDPipe({ exceptionFactory: () => new ValidationFailed([{ field: 'id', rule: 'isUuid', message: 'id must be a journey id (UUID)' }]) }));

/** Step routes share these headers. */
const CommandHeaders = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first result and records nothing' })(target, key, descriptor);
  ApiHeader({ name: 'If-Match', required: false, description: 'The journey ETag last read: the step is recorded only if the journey has not changed (else 409)' })(target, key, descriptor);
};

/** The journeys API: turns HTTP into commands and queries, nothing more. */
@ApiTags('journeys')
@Controller('journeys')
export class JourneysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post() @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Identify a potential victim: starts a journey' })
  async identify(@Body() body: Steps.IdentifyVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { journeyId: chosen, ...data } = plain(body);
    const journeyId = chosen ?? randomUUID();
    reply.header('Location', `/journeys/${journeyId}`);
    return this.record(req, reply, journeyId, { type: 'IdentifyVictim', data: { journeyId, ...data } }, chosen ?? null);
  }

  @Post(':id/consents') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record consent (or its refusal)' })
  consent(@Id() id: string, @Body() body: Steps.RecordConsentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordConsent', data: plain(body) });
  }

  @Post(':id/duty-to-notify') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Submit an anonymous Duty to Notify for an adult who did not consent' })
  dutyToNotify(@Id() id: string, @Body() body: Steps.SubmitDutyToNotifyDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'SubmitDutyToNotify', data: plain(body) });
  }

  @Post(':id/circumstances') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record the circumstances of exploitation' })
  circumstances(@Id() id: string, @Body() body: Steps.RecordCircumstancesDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordCircumstances', data: plain(body) });
  }

  @Post(':id/referrals') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Refer into the NRM' })
  refer(@Id() id: string, @Body() body: Steps.ReferVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'ReferVictim', data: plain(body) });
  }

  @Post(':id/decisions') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a Reasonable or Conclusive Grounds decision' })
  decision(@Id() id: string, @Body() body: Steps.RecordDecisionDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RecordDecision', data: { ...data, occurredAt: data.occurredAt ?? data.decidedAt } });
  }

  @Post(':id/reconsiderations') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Request reconsideration of a negative decision' })
  reconsideration(@Id() id: string, @Body() body: Steps.RequestReconsiderationDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RequestReconsideration', data: { ...data, occurredAt: data.occurredAt ?? data.requestedOn } });
  }

  @Post(':id/needs-assessments') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a needs assessment' })
  needs(@Id() id: string, @Body() body: Steps.AssessNeedsDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'AssessNeeds', data: plain(body) });
  }

  @Post(':id/care') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record care provided' })
  care(@Id() id: string, @Body() body: Steps.RecordCareDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RecordCare', data: { ...data, occurredAt: data.occurredAt ?? data.startedOn } });
  }

  @Post(':id/exit') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record exit from support' })
  exit(@Id() id: string, @Body() body: Steps.RecordExitDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordExit', data: plain(body) });
  }

  @Post(':id/follow-ups') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a follow-up after exit (no contact is recorded too)' })
  followUp(@Id() id: string, @Body() body: Steps.RecordFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordFollowUp', data: plain(body) });
  }

  @Post(':id/re-referrals') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Re-refer after exit: opens a new episode' })
  reReferral(@Id() id: string, @Body() body: Steps.ReReferVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'ReReferVictim', data: plain(body) });
  }

  @Get(':id') @ApiOperation({ summary: 'The journey read model, with today’s waits and overdue flags' })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until this position (from a command response) is applied' })
  async get(@Id() id: string, @Query('minPosition') minPosition: string | undefined, @Headers('x-min-position') minHeader: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const journey = await this.queries.execute(new GetJourney(id, parseMinPosition(minPosition ?? minHeader)));
    reply.header('ETag', etag(journey.lastRevision));
    return journey;
  }

  @Get() @ApiOperation({ summary: 'A caseload: journeys by status, organisation and overdue, most overdue first' })
  list(@Query() query: CaseloadQueryDto, @Headers('x-min-position') minHeader: string | undefined) {
    const pageSize = query.pageSize ?? 50;
    if (pageSize > this.config.maxPageSize) {
      throw new ValidationFailed([{ field: 'pageSize', rule: 'max', message: `pageSize must not be greater than ${this.config.maxPageSize}` }]);
    }
    const criteria = { status: query.status, organisationId: query.organisation, overdue: query.overdue };
    return this.queries.execute(new ListJourneys(criteria, query.page ?? 1, pageSize, parseMinPosition(query.minPosition ?? minHeader)));
  }

  private async record(req: FastifyRequest, reply: FastifyReply, journeyId: string, command: Omit<JourneyCommand, 'now'>, hashJourneyId: string | null = journeyId) {
    const step = new RecordJourneyStep(
      journeyId,
      { ...command, now: new Date().toISOString() } as JourneyCommand,
      actorOf(req),
      correlationIdOf(req),
      parseIfMatch(req.headers['if-match']),
      idempotencyClaimOf(req, command.type, hashJourneyId),
    );
    const result: JourneyStepRecorded = await this.commands.execute(step);
    reply.header('ETag', etag(result.revision));
    if (result.replayed) reply.header('Idempotent-Replayed', 'true');
    return { journeyId: result.journeyId, revision: Number(result.revision), position: result.position.toString() };
  }
}

/** A validated DTO as plain data: no class prototypes, no undefined fields (events are JSON). */
function plain<T extends object>(dto: T): { [K in keyof T]: T[K] } {
  return JSON.parse(JSON.stringify(dto));
}
