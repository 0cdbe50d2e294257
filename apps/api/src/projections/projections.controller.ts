import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { UnknownProjection } from '../../../projector/src/projector';
import type { ProjectionMonitor } from './projection-monitor';
import { EVENT_STORE, PROJECTOR } from '../infrastructure/tokens';
import { withLag } from './projection-reports';
import { Allow } from '../auth/access-policy';

/** Operators' view of the read models: status, lag, and rebuilds. */
@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(PROJECTOR) private readonly projector: ProjectionMonitor,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Allow('admin') @Get()
  @ApiOperation({ summary: 'Each projection: serving collection, position, lag in events and seconds, last error, rebuild in progress' })
  async list() {
    return withLag(this.events, await this.projector.status());
  }

  @Allow('admin') @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a projection from the start of the log into a new collection, then switch to it; the current one serves meanwhile' })
  async rebuild(@Param('name') name: string) {
    if (!(await this.projector.status()).some((p) => p.name === name)) throw new UnknownProjection(name);
    // Runs in the background (here, or in the projector process); its progress shows in GET /projections.
    void this.projector.rebuild(name).catch(() => undefined);
    const report = (await this.projector.status()).find((p) => p.name === name);
    return { name, serving: report?.serving, rebuilding: report?.rebuilding?.collection ?? null };
  }
}
