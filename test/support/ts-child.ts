import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

const REGISTER = join(__dirname, 'swc-register.js');

/**
 * Runs a TypeScript file in its own Node process, compiled on load as Jest compiles the specs,
 * so crash and fault tests can SIGKILL a real process without a build step.
 */
export function spawnTs(file: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['-r', REGISTER, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}
