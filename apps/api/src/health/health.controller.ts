import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import type { ProjectionMonitor } from '../projections/projection-monitor';
import { EVENT_STORE, PROJECTOR, READ_STORE } from '../infrastructure/tokens';
import { withLag } from '../projections/projection-reports';
import { Public } from '../auth/access-policy';

/** Liveness and readiness in one: each store answers, and how far behind each projection is. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTOR) private readonly projector: ProjectionMonitor,
  ) {}

  @Public() @Get()
  @ApiOperation({ summary: 'Event store, read store and projector lag; 503 when any is down' })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const eventStore = await probe(async () => ({ headPosition: (await this.events.headPosition())?.toString() ?? null }));
    const readStore = await probe(async () => ({ collections: (await this.readStore.listCollections()).length }));
    const projections = await withLag(this.events, await this.projector.status());
    const healthy = eventStore.status === 'up' && readStore.status === 'up' && projections.length > 0 && projections.every((p) => p.running || p.rebuilding !== null);
    reply.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'degraded', eventStore, readStore, projections };
  }
}

async function probe(check: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown> & { status: 'up' | 'down' }> {
  try {
    return { status: 'up', ...(await check()) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}
