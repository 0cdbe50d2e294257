import { HttpException } from '@nestjs/common';

/**
 * Audit answers that are neither validation nor not-found. HttpExceptions, so the error filter
 * answers with their status today; each carries its stable `code` for the filter to use.
 */
export class AuditConflict extends HttpException {
  constructor(
    readonly code: 'AUDIT_CHAIN_BROKEN' | 'AUDIT_NOTHING_TO_SIGN' | 'AUDIT_VERIFY_RUNNING',
    message: string,
  ) {
    super(message, 409);
    this.name = 'AuditConflict';
  }
}
