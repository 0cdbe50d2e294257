import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto, StepRecordedDto } from '../http/error-response.dto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ukDateOf } from '../../../../libs/domain/src/calendar/calendar-date';
import type { JourneyCommand } from '../../../../libs/domain/src/journey/commands';
import { Allow } from '../auth/access-policy';
import { actorOf } from '../auth/access.guard';
import { correlationIdOf, idempotencyClaimOf } from '../http/command-request';
import { etag, parseIfMatch, parseMinPosition } from '../http/revision-headers';
import { CaseloadQueryDto } from './caseload-query.dto';
import { GetJourney } from './reading/get-journey.query';
import { ListJourneys } from './reading/list-journeys.query';
import { JourneyStepRecorded, RecordJourneyStep } from './recording/record-journey-step.command';
import * as Steps from './steps';
import type { AppConfig } from '../config';
import { ValidationFailed } from '../errors';
import { JourneyId } from '../http/journey-id';
import { APP_CONFIG, EVENT_STORE, READ_STORE, REQUEST_HASHER } from '../infrastructure/tokens';
import type { RequestHasher } from '../http/request-hasher';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { readJourneyHistory } from './auditing/journey-history';
import { annotateRequestLog } from '../operations/logging-requests';
import { readJourneyState } from './auditing/journey-state';
import { JourneyStateQueryDto } from './auditing/journey-state-query.dto';
import { readNextSteps } from './reading/next-steps.query';

const Id = JourneyId;

/** Step routes share these headers. */
const CommandHeaders = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first result and records nothing' })(target, key, descriptor);
  ApiHeader({ name: 'If-Match', required: false, description: 'The journey ETag last read: the step is recorded only if the journey has not changed (else 409)' })(target, key, descriptor);
  ApiCreatedResponse({ description: 'Recorded (or an Idempotency-Key retry: the first result, with Idempotent-Replayed: true)', type: StepRecordedDto })(target, key, descriptor);
  ApiBadRequestResponse({ description: 'A field, the id, If-Match or Idempotency-Key is not valid (code VALIDATION_FAILED, MALFORMED_BODY); nothing recorded', type: ErrorResponseDto })(target, key, descriptor);
  ApiNotFoundResponse({ description: 'No such journey on the caller’s caseload (code JOURNEY_NOT_FOUND); nothing recorded', type: ErrorResponseDto })(target, key, descriptor);
  ApiConflictResponse({ description: 'The journey changed since If-Match (code CONCURRENCY_CONFLICT, with currentRevision and its ETag); nothing recorded', type: ErrorResponseDto })(target, key, descriptor);
  ApiUnprocessableEntityResponse({ description: 'A rule of the NRM refuses the step, or the Idempotency-Key was used for another request; nothing recorded', type: ErrorResponseDto })(target, key, descriptor);
};

/** The journeys API: turns HTTP into commands and queries, nothing more. */
@ApiTags('journeys')
@Controller('journeys')
export class JourneysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REQUEST_HASHER) private readonly hasher: RequestHasher,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  @Allow('support_worker') @Post() @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Identify a potential victim: starts a journey' })
  async identify(@Body() body: Steps.IdentifyVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { journeyId: chosen, ...data } = plain(body);
    const journeyId = chosen ?? randomUUID();
    reply.header('Location', `/journeys/${journeyId}`);
    // The journey starts on the identifying support worker's own caseload.
    const caseloadOrganisationId = actorOf(req).organisationId;
    return this.record(req, reply, journeyId, { type: 'IdentifyVictim', data: { journeyId, ...data, caseloadOrganisationId } }, chosen ?? null);
  }

  @Allow('support_worker') @Post(':id/consents') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record consent (or its refusal)' })
  consent(@Id() id: string, @Body() body: Steps.RecordConsentDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordConsent', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/duty-to-notify') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Submit an anonymous Duty to Notify for an adult who did not consent' })
  dutyToNotify(@Id() id: string, @Body() body: Steps.SubmitDutyToNotifyDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'SubmitDutyToNotify', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/circumstances') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record the circumstances of exploitation' })
  circumstances(@Id() id: string, @Body() body: Steps.RecordCircumstancesDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordCircumstances', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/referrals') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Refer into the NRM' })
  refer(@Id() id: string, @Body() body: Steps.ReferVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'ReferVictim', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/decisions') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a Reasonable or Conclusive Grounds decision' })
  decision(@Id() id: string, @Body() body: Steps.RecordDecisionDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RecordDecision', data: { ...data, occurredAt: data.occurredAt ?? data.decidedAt } });
  }

  @Allow('support_worker') @Post(':id/reconsiderations') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Request reconsideration of a negative decision' })
  reconsideration(@Id() id: string, @Body() body: Steps.RequestReconsiderationDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RequestReconsideration', data: { ...data, occurredAt: data.occurredAt ?? data.requestedOn } });
  }

  @Allow('support_worker') @Post(':id/needs-assessments') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a needs assessment' })
  needs(@Id() id: string, @Body() body: Steps.AssessNeedsDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'AssessNeeds', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/care') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record care provided' })
  care(@Id() id: string, @Body() body: Steps.RecordCareDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'RecordCare', data: { ...data, occurredAt: data.occurredAt ?? data.startedOn } });
  }

  @Allow('support_worker') @Post(':id/exit') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record exit from support' })
  exit(@Id() id: string, @Body() body: Steps.RecordExitDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordExit', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/follow-ups') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Record a follow-up after exit (no contact is recorded too)' })
  followUp(@Id() id: string, @Body() body: Steps.RecordFollowUpDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'RecordFollowUp', data: plain(body) });
  }

  @Allow('support_worker') @Post(':id/re-referrals') @HttpCode(201) @CommandHeaders() @ApiOperation({ summary: 'Re-refer after exit: opens a new episode' })
  reReferral(@Id() id: string, @Body() body: Steps.ReReferVictimDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.record(req, reply, id, { type: 'ReReferVictim', data: plain(body) });
  }

  @Allow('support_worker', 'admin') @Post(':id/transfers') @HttpCode(201) @CommandHeaders()
  @ApiOperation({ summary: 'Transfer the journey to another organisation’s caseload (its support workers hold it from then on)' })
  transfer(@Id() id: string, @Body() body: Steps.TransferJourneyDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'TransferJourney', data: { ...data, occurredAt: data.occurredAt ?? today() } });
  }

  @Allow('support_worker', 'auditor') @Post(':id/corrections') @HttpCode(201) @CommandHeaders()
  @ApiOperation({ summary: 'Correct fields of an earlier event: records RecordCorrected; the original stays in the history' })
  correction(@Id() id: string, @Body() body: Steps.CorrectRecordDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = plain(body);
    return this.record(req, reply, id, { type: 'CorrectRecord', data: { ...data, occurredAt: data.occurredAt ?? today() } });
  }

  @Allow('support_worker', 'auditor') @Get(':id/history')
  @ApiOperation({ summary: 'Every event of the journey, in order, as stored: who recorded it, when, under which command, and its ledger hashes' })
  history(@Id() id: string, @Req() req: FastifyRequest) {
    return readJourneyHistory(this.events, this.readStore, id, actorOf(req));
  }

  @Allow('support_worker', 'auditor') @Get(':id/state')
  @ApiOperation({ summary: 'The journey as it stood at a date or position: as recorded by then, or (basis=occurred) as known now about that date' })
  state(@Id() id: string, @Query() query: JourneyStateQueryDto, @Req() req: FastifyRequest) {
    return readJourneyState(this.events, id, actorOf(req), query);
  }

  @Allow('support_worker', 'auditor') @Get(':id/next-steps')
  @ApiOperation({
    summary: 'The steps the rules allow next, and those they do not: why not, and from or until when',
    description: 'Each step the journey could record next (transfers and corrections aside), with its route, the fields its form sends as given (`preset`), whether the rules allow it today and, if not, the rule’s code and sentence, and `availableFrom` when time alone will allow it (the end of the recovery period) or `availableUntil` (a reconsideration’s deadline). Worked out by the decider from the journey’s own stream; `revision` (also the ETag) is the revision it was worked out from, to send back as If-Match.',
  })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'Accepted as on GET /journeys/:id; the answer is read from the event store, so it already includes every recorded position' })
  async nextSteps(@Id() id: string, @Query('minPosition') minPosition: string | undefined, @Headers('x-min-position') minHeader: string | undefined, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    parseMinPosition(minPosition ?? minHeader);
    const answer = await readNextSteps(this.events, id, actorOf(req), today());
    reply.header('ETag', etag(answer.revision));
    return answer;
  }

  @Allow('support_worker', 'auditor') @Get(':id') @ApiOperation({ summary: 'The journey read model, with today’s waits and overdue flags' })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'Wait until this position (from a command response) is applied' })
  async get(@Id() id: string, @Query('minPosition') minPosition: string | undefined, @Headers('x-min-position') minHeader: string | undefined, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const journey = await this.queries.execute(new GetJourney(id, actorOf(req), parseMinPosition(minPosition ?? minHeader)));
    reply.header('ETag', etag(journey.lastRevision));
    return journey;
  }

  @Allow('support_worker', 'auditor') @Get()
  @ApiOperation({ summary: 'A caseload: journeys by status, organisation, overdue and referral reference, most overdue first (a support worker’s own organisation only)' })
  list(@Query() query: CaseloadQueryDto, @Headers('x-min-position') minHeader: string | undefined, @Req() req: FastifyRequest) {
    const pageSize = query.pageSize ?? 50;
    if (pageSize > this.config.maxPageSize) {
      throw new ValidationFailed([{ field: 'pageSize', rule: 'max', message: `pageSize must not be greater than ${this.config.maxPageSize}` }]);
    }
    const criteria = { status: query.status, organisationId: query.organisation, overdue: query.overdue, reference: query.reference };
    return this.queries.execute(new ListJourneys(criteria, actorOf(req), query.page ?? 1, pageSize, parseMinPosition(query.minPosition ?? minHeader)));
  }

  private async record(req: FastifyRequest, reply: FastifyReply, journeyId: string, command: Omit<JourneyCommand, 'now'>, hashJourneyId: string | null = journeyId) {
    const result: JourneyStepRecorded = await this.commands.execute(journeyStep(req, this.hasher, journeyId, command, hashJourneyId));
    return stepRecorded(reply, result);
  }
}

/** The command for a step, with who asks, from the request. */
export function journeyStep(req: FastifyRequest, hasher: RequestHasher, journeyId: string, command: Omit<JourneyCommand, 'now'>, hashJourneyId: string | null = journeyId): RecordJourneyStep {
  const actor = actorOf(req);
  const step = new RecordJourneyStep(
    journeyId,
    { ...command, now: new Date().toISOString() } as JourneyCommand,
    actor,
    correlationIdOf(req),
    parseIfMatch(req.headers['if-match']),
    idempotencyClaimOf(req, hasher, actor, command.type, hashJourneyId),
  );
  annotateRequestLog(req, { journeyId, commandType: command.type, commandId: step.commandId });
  return step;
}

/** What every step route answers: the new revision as an ETag, and where the event sits. */
export function stepRecorded(reply: FastifyReply, result: JourneyStepRecorded) {
  annotateRequestLog(reply.request, { revision: Number(result.revision), replayed: result.replayed });
  reply.header('ETag', etag(result.revision));
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return { journeyId: result.journeyId, revision: Number(result.revision), position: result.position.toString() };
}

/** Today's date in the UK, for steps whose date defaults to the day they are recorded. */
export const today = () => ukDateOf(new Date().toISOString());

/** A validated DTO as plain data: no class prototypes, no undefined fields (events are JSON). */
function plain<T extends object>(dto: T): { [K in keyof T]: T[K] } {
  return JSON.parse(JSON.stringify(dto));
}
