import { JourneyRuleBroken } from '../../../../libs/domain/src/rules';
import { ConcurrencyConflict, Forbidden, IdempotencyKeyReused, JourneyNotFound, ValidationFailed } from '../errors';
import type { ApiMetrics, CommandOutcome } from './metrics-registry';
import { failed, tracer } from './tracing';

/** What of a command may be observed: its type and ids, never its data. */
export interface ObservedCommand {
  command: { type: string };
  commandId: string;
  correlationId: string;
}

/**
 * Runs one journey command inside a `command <type>` span (the parent of its load, decide, seal
 * and append spans) and counts it by type and outcome. The span carries the command type, the
 * command id (which its events carry into each projection's batch span) and the correlation id.
 */
export function observeCommand<T extends { replayed: boolean }>(observed: ObservedCommand, metrics: ApiMetrics | undefined, handle: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const command = observed.command.type;
  const attributes = { 'vjt.command.type': command, 'vjt.command.id': observed.commandId, 'vjt.correlation_id': observed.correlationId };
  return tracer().startActiveSpan(`command ${command}`, { attributes }, async (span) => {
    try {
      const result = await handle();
      const outcome: CommandOutcome = result.replayed ? 'replayed' : 'recorded';
      metrics?.commandFinished(command, outcome, started);
      span.setAttribute('vjt.command.outcome', outcome);
      return result;
    } catch (error) {
      const outcome = commandOutcome(error);
      metrics?.commandFinished(command, outcome, started);
      span.setAttribute('vjt.command.outcome', outcome);
      // A refusal or a conflict is an answer, not a fault of the service: only failures mark the span.
      if (outcome === 'failed') failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The outcome of a command that threw, as its HTTP answer classes it: 409, another 4xx, or a failure. */
export function commandOutcome(error: unknown): CommandOutcome {
  if (error instanceof ConcurrencyConflict) return 'conflict';
  if (
    error instanceof JourneyRuleBroken || error instanceof ValidationFailed || error instanceof JourneyNotFound ||
    error instanceof IdempotencyKeyReused || error instanceof Forbidden
  ) {
    return 'rejected';
  }
  return 'failed';
}
