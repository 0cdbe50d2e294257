import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors Fastify and Node's HTTP parser answer before a request reaches Nest (so before
 * http/error.filter.ts): a malformed URL, a path parameter over the router's limit, headers
 * too large. Without these handlers they leave in Fastify's own shape ({error, message,
 * statusCode}, no code); with them, in the API's error shape like every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const [statusCode, code, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? [414, 'URI_TOO_LONG', 'A path parameter is longer than allowed.']
      : error.code === 'FST_ERR_BAD_URL' ? [400, 'BAD_URL', 'The URL is not valid (check its percent-encoding).']
        : [500, 'INTERNAL_ERROR', 'Something went wrong; nothing was recorded unless a response said so.'];
  void reply.status(statusCode).send({ statusCode, code, message });
}

/** Node's HTTP parser refused the request (Fastify's default handler, in the API's error shape). */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'HEADERS_TOO_LARGE', 'The request headers (with the URL) are larger than allowed.']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ statusCode, code, message });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
