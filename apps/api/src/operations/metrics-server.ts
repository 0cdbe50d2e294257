import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics-registry';

/** The operator port's HTTP server: GET /metrics and nothing else. */
export interface OperatorMetricsServer {
  /** Where it listens, e.g. http://127.0.0.1:9464 (the bound port when asked for port 0). */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves /metrics without a token on `host:port` (METRICS_HOST, METRICS_PORT), apart from the
 * API: reaching that port is the access control, so bind it to an interface only the scraper
 * reaches (the default is 127.0.0.1). Port 0 takes any free port (tests).
 */
export async function serveOperatorMetrics(metrics: Metrics, host: string, port: number): Promise<OperatorMetricsServer> {
  const server = createServer((request, response) => void answer(metrics, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive connection must not hold the shutdown
      }),
  };
}

async function answer(metrics: Metrics, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== '/metrics') return send(response, 404, 'text/plain; charset=utf-8', 'Not found: metrics are at /metrics\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
  }
  try {
    const { contentType, text } = await metrics.exposition();
    send(response, 200, contentType, request.method === 'HEAD' ? '' : text);
  } catch {
    send(response, 500, 'text/plain; charset=utf-8', 'Metrics could not be collected\n');
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(body);
}
