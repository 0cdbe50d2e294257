/**
 * Building and steering disk-faults.so, the LD_PRELOAD shim of disk-faults.c (see its header
 * for the control file's language).
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHIM_SOURCE = join(__dirname, 'disk-faults.c');

/** Why the shim cannot be built or used here, or undefined when it can. */
export function shimUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `LD_PRELOAD fault injection needs Linux (this is ${process.platform})`;
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) return 'gcc is not installed, and it is needed to build the LD_PRELOAD fault shim (apt-get install gcc)';
  return undefined;
}

/** Compiles the shim into `dir`; returns the path of the shared object. */
export function buildShim(dir: string): string {
  const output = join(dir, 'disk-faults.so');
  const gcc = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-o', output, SHIM_SOURCE, '-ldl'], { encoding: 'utf8' });
  if (gcc.status !== 0) throw new Error(`gcc could not build ${SHIM_SOURCE}:\n${gcc.stderr}`);
  return output;
}

export type FaultErrno = 'ENOSPC' | 'EIO';

/** The control file a shimmed process reads at every matching call. */
export class FaultControl {
  readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, 'disk-fault');
  }

  /** The environment that loads the shim, for files whose path contains `pattern`. */
  env(shim: string, pattern: string, errno: FaultErrno = 'EIO'): Record<string, string> {
    return { LD_PRELOAD: shim, DISK_FAULT_PATH: pattern, DISK_FAULT_ERRNO: errno, DISK_FAULT_CONTROL: this.file };
  }

  /** Writes between `after` matching writes let through, then fail every one (`after` 0: from the next). */
  failWrites(after: number, errno?: FaultErrno, pattern?: string): void {
    this.set(['after', after, errno ?? (pattern ? 'EIO' : ''), pattern ?? ''].join(' ').trim());
  }

  /** Fail every matching fsync and fdatasync. */
  failFsyncs(errno?: FaultErrno, pattern?: string): void {
    this.set(['fsync', errno ?? (pattern ? 'EIO' : ''), pattern ?? ''].join(' ').trim());
  }

  /** No fault from the next call on. */
  clear(): void {
    rmSync(this.file, { force: true });
  }

  /** Replaced with a rename: the shim never reads half a directive, and a new inode restarts its count. */
  private set(directive: string): void {
    writeFileSync(`${this.file}.next`, `${directive}\n`);
    renameSync(`${this.file}.next`, this.file);
  }
}
