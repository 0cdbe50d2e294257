/** Backups of the embedded default's data folder: take, verify, restore (docs/operations.md, "Backups and the restore drill"). */
export { appVersion } from './app-version';
export * from './manifest';
export { BackupRefusedError, checkBackupFolder, takeBackup, type BackupCopier, type BackupProgress, type BackupSources, type BackupStep, type TakeBackupOptions } from './take-backup';
export { verifyBackup, type BackupCheck, type BackupVerification } from './verify-backup';
export { assertNotInUse, copyBackupFiles, discardStaging, moveIntoPlace, prepareTarget, RestoreRefusedError, type PreparedTarget } from './restore-target';
export { applyNewerErasures, readNewerErasures, reapplyLoggedErasures, type AppliedNewerErasures, type LoggedErasures, type NewerErasure, type NewerLog } from './erasures';
export * from './operator-protocol';
