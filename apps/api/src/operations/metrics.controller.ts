import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../auth/access-policy';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../infrastructure/tokens';
import { metricsOf } from './metrics-registry';

/**
 * GET /metrics on the API's own port, when no METRICS_PORT is configured: the Prometheus
 * exposition of this process's registry (operations/metrics.ts), for admin tokens, through
 * the same access guard, rate limit and error answers as every other route.
 */
@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Allow('admin') @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics of this process: commands, appends, projections, read-your-writes waits, HTTP, process (only without METRICS_PORT)' })
  // Only the success is text; refusals are the API's JSON error shape, as everywhere.
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const metrics = metricsOf(this.config);
    if (!metrics) throw new Error('The metrics registry was not attached to this application (observeApp)');
    const { contentType, text } = await metrics.exposition();
    reply.header('Cache-Control', 'no-store').type(contentType);
    return text;
  }
}
