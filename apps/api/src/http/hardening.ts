import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config';

/**
 * What every response gets, whatever the route: security headers, strict CORS (only the
 * configured origins), and a request rate limit per client address. Per-user limits join
 * this once requests are authenticated.
 */
export async function harden(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The OpenAPI page (Swagger UI) starts itself with inline script and style.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        // The embedded default serves plain HTTP on localhost: upgrading would break its pages.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed'],
    allowedHeaders: ['Content-Type', 'Authorization', 'If-Match', 'Idempotency-Key', 'X-Min-Position', 'X-Correlation-Id', 'X-Purpose'],
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerWindow,
    timeWindow: config.rateLimitWindowMs,
    // Health checks come from the platform, often and on purpose.
    allowList: (request) => request.url === '/health' || request.url.startsWith('/health?'),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many requests: at most ${context.max} per ${Math.round(context.ttl / 1000)} s. Retry after ${context.after}.`,
    }),
  });
}
