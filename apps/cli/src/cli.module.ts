import { Module } from '@nestjs/common';
import { CliStores } from './cli-stores';
import { BackupCommand } from './commands/backup.command';
import { RestoreCommand } from './commands/restore.command';
import { VerifyBackupCommand } from './commands/verify-backup.command';
import { ExportCommand } from './commands/export.command';
import { ImportCommand } from './commands/import.command';
import { RebuildCommand } from './commands/rebuild.command';
import { ReplayCommand } from './commands/replay.command';
import { SeedCommand } from './commands/seed.command';
import { StatusCommand } from './commands/status.command';
import { TokenCommand } from './commands/token.command';
import { VerifyBundleCommand } from './commands/verify-bundle.command';
import { VerifyCommand } from './commands/verify.command';

@Module({
  providers: [CliStores, SeedCommand, StatusCommand, RebuildCommand, ReplayCommand, VerifyCommand, VerifyBundleCommand, ExportCommand, ImportCommand, TokenCommand, BackupCommand, VerifyBackupCommand, RestoreCommand],
})
export class CliModule {}
