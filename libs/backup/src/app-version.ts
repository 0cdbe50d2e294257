import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * This code's version, from the nearest package.json above this module (the repository's, or
 * the production image's: it is there for `npm ci`); 'unknown' if none can be read.
 */
export function appVersion(from: string = __dirname): string {
  if (cached !== undefined && from === __dirname) return cached;
  let version = 'unknown';
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === 'victim-journey-tracker' && typeof parsed.version === 'string') {
          version = parsed.version;
          break;
        }
      } catch {
        // not ours or unreadable: keep looking up
      }
    }
    if (dirname(dir) === dir) break;
  }
  if (from === __dirname) cached = version;
  return version;
}
