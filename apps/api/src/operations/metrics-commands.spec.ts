import { JourneyRuleBroken } from '../../../../libs/domain/src/rules';
import { EventStoreWriteFailed } from '../../../../libs/event-store/src/errors';
import { ConcurrencyConflict, IdempotencyKeyReused, JourneyNotFound, ValidationFailed } from '../errors';
import { commandOutcome, observeCommand } from './metrics-commands';
import { ApiMetrics } from './metrics-registry';

const step = (type: string) => ({ command: { type }, commandId: 'c-1', correlationId: 'r-1' });

async function countOf(metrics: ApiMetrics, command: string, outcome: string): Promise<number> {
  const { values } = await metrics.commands.get();
  return values.find((v) => v.labels.command === command && v.labels.outcome === outcome)?.value ?? 0;
}

describe('observing commands', () => {
  it('classes a command by how it ended, as its HTTP answer does', () => {
    expect(commandOutcome(new ConcurrencyConflict('j', 1n, 2n))).toBe('conflict');
    for (const refusal of [new JourneyRuleBroken('REFERRAL_NOT_FOUND', 'no referral'), new ValidationFailed([]), new JourneyNotFound('j'), new IdempotencyKeyReused('k')]) {
      expect(commandOutcome(refusal)).toBe('rejected');
    }
    expect(commandOutcome(new Error('disk on fire'))).toBe('failed');
  });

  it('counts and times each command by type and outcome, and lets errors through unchanged', async () => {
    const metrics = new ApiMetrics();
    await observeCommand(step('RecordCare'), metrics, async () => ({ replayed: false }));
    await observeCommand(step('RecordCare'), metrics, async () => ({ replayed: true }));
    const failure = new Error('the store went away');
    await expect(observeCommand(step('RecordCare'), metrics, async () => { throw failure; })).rejects.toBe(failure);
    expect({
      recorded: await countOf(metrics, 'RecordCare', 'recorded'), replayed: await countOf(metrics, 'RecordCare', 'replayed'), failed: await countOf(metrics, 'RecordCare', 'failed'),
    }).toEqual({ recorded: 1, replayed: 1, failed: 1 });
    const durations = (await metrics.commandDuration.get()).values.filter((v) => v.metricName === 'vjt_command_duration_seconds_count');
    expect(durations.map((v) => v.value)).toEqual([1, 1, 1]);
  });

  it('keeps each application’s metrics apart (several run in one test process)', async () => {
    const one = new ApiMetrics();
    const other = new ApiMetrics();
    await observeCommand(step('RecordExit'), one, async () => ({ replayed: false }));
    expect(await countOf(one, 'RecordExit', 'recorded')).toBe(1);
    expect(await countOf(other, 'RecordExit', 'recorded')).toBe(0);
    expect(await other.registry.getSingleMetricAsString('vjt_commands_total')).not.toContain('RecordExit');
  });

  it('runs without metrics (the CLI, handlers built by unit tests)', async () => {
    await expect(observeCommand(step('RecordExit'), undefined, async () => ({ replayed: false }))).resolves.toEqual({ replayed: false });
    await expect(observeCommand(step('RecordExit'), undefined, async () => { throw new EventStoreWriteFailed('events.sqlite', 'SQLITE_FULL'); }))
      .rejects.toBeInstanceOf(EventStoreWriteFailed);
  });
});
