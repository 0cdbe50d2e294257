import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { journeyStreamId } from '../../../../libs/domain/src/events';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { buildEvidenceBundle, EvidenceMismatch, StreamNotYetLedgered } from '../../../../libs/audit/src/evidence';
import { listHeads, signHead } from '../../../../libs/audit/src/signed-heads';
import { trustedKeys, type AuditSigningKey } from '../../../../libs/audit/src/signing-key';
import { verifyLog, VerifyRangeNotLedgered } from '../../../../libs/audit/src/verify';
import { Allow } from '../auth/access-policy';
import { actorOf } from '../auth/access.guard';
import type { AppConfig } from '../config';
import { JourneyNotFound, NotYetProjected, ValidationFailed } from '../errors';
import { correlationIdOf } from '../http/command-request';
import { JourneyId } from '../http/journey-id';
import { APP_CONFIG, EVENT_STORE, READ_STORE } from '../infrastructure/tokens';
import { AuditConflict } from './audit-errors';
import { auditSigningKey } from './audit-keys';
import { HeadsQueryDto, VerifyQueryDto } from './audit-query.dto';

/** Tamper evidence for auditors: signed heads, verification of the log, evidence bundles (docs/audit.md). */
@ApiTags('audit')
@Controller()
export class AuditController {
  private readonly key: AuditSigningKey;
  /** One verification at a time per process: each reads the whole log. */
  private verifying = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = auditSigningKey(config);
  }

  @Allow('auditor') @Get('audit/heads')
  @ApiOperation({ summary: 'Signed heads, newest first, and the public key that verifies them' })
  async heads(@Query() query: HeadsQueryDto) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    if (pageSize > this.config.maxPageSize) {
      throw new ValidationFailed([{ field: 'pageSize', rule: 'max', message: `pageSize must not be greater than ${this.config.maxPageSize}` }]);
    }
    const { heads, total } = await listHeads(this.readStore, { skip: (page - 1) * pageSize, limit: pageSize });
    return { publicKey: this.key.describe(), page, pageSize, total, heads };
  }

  @Allow('auditor', 'admin') @Post('audit/heads') @HttpCode(201)
  @ApiOperation({ summary: 'Sign the ledger\u2019s end now: {position, globalHash, time}, stored and appended to the log' })
  async sign(@Req() req: FastifyRequest) {
    const head = await signHead(this.events, this.readStore, this.key, { by: actorOf(req), correlationId: correlationIdOf(req) });
    if (!head) throw new AuditConflict('AUDIT_NOTHING_TO_SIGN', 'Nothing is ledgered yet, so there is no head to sign.');
    return head;
  }

  @Allow('auditor') @Get('audit/verify')
  @ApiOperation({ summary: 'Recompute the hash chains over the log (or from..to), compare with the ledger, check every signed head; the first broken link, or OK with counts' })
  async verify(@Query() query: VerifyQueryDto) {
    const from = query.from === undefined ? undefined : BigInt(query.from);
    const to = query.to === undefined ? undefined : BigInt(query.to);
    if (from !== undefined && to !== undefined && to < from) throw new ValidationFailed([{ field: 'to', rule: 'min', message: 'to must not be before from' }]);
    if (this.verifying) throw new AuditConflict('AUDIT_VERIFY_RUNNING', 'A verification is already running in this process; retry when it has finished.');
    this.verifying = true;
    try {
      return await verifyLog(this.events, this.readStore, { from, to, trustedKeys: trustedKeys(this.key.publicKey), maxEvents: this.config.auditVerifyMaxEvents });
    } catch (error) {
      if (error instanceof VerifyRangeNotLedgered) throw new ValidationFailed([{ field: 'from', rule: 'ledgered', message: error.message }]);
      throw error;
    } finally {
      this.verifying = false;
    }
  }

  @Allow('auditor') @Get('journeys/:id/evidence')
  @ApiOperation({ summary: 'A self-contained, signed evidence bundle of the journey\u2019s record, for verify-bundle to check offline' })
  async evidence(@JourneyId() id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('Cache-Control', 'no-store');
    try {
      const bundle = await buildEvidenceBundle(this.events, this.readStore, this.key, journeyStreamId(id), { waitMs: this.config.readYourWritesTimeoutMs });
      if (!bundle) throw new JourneyNotFound(id);
      return bundle;
    } catch (error) {
      if (error instanceof StreamNotYetLedgered) throw new NotYetProjected(error.position, 1);
      if (error instanceof EvidenceMismatch) throw new AuditConflict('AUDIT_CHAIN_BROKEN', error.message);
      throw error;
    }
  }
}
