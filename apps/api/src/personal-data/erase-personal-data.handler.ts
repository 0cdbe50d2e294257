import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { PersonalDataVault } from '../../../../libs/personal-data/src/personal-data-vault';
import { PERSONAL_DATA_VAULT } from '../infrastructure/tokens';
import type { JourneyStepRecorded, RecordJourneyStep } from '../journeys/recording/record-journey-step.command';

/** Erase a journey's personal data: the step that records it, then the key's destruction. */
export class ErasePersonalData {
  constructor(readonly step: RecordJourneyStep) {}
}

/**
 * Records PersonalDataErased (so the erasure is a fact in the history, replayed by every
 * read model), then destroys the journey's data key. Should the process stop between the
 * two, the ErasureEnforcer destroys the key from the recorded event at the next start, as
 * it does after a key-store backup older than the erasure is restored. A retry with the
 * same Idempotency-Key destroys the key again, harmlessly.
 */
@CommandHandler(ErasePersonalData)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalData, JourneyStepRecorded> {
  constructor(
    private readonly commands: CommandBus,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ step }: ErasePersonalData): Promise<JourneyStepRecorded> {
    const recorded: JourneyStepRecorded = await this.commands.execute(step);
    await this.vault.erase(step.journeyId);
    return recorded;
  }
}
