import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository's root: the nearest folder up from here with package.json and apps/web (works from source and from dist). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'apps', 'web'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No project root above ${from}`);
  }
}

/** Where `npm run build` puts the browser front end, and where the API serves it from unless WEB_DIR says otherwise. */
export function defaultWebDir(): string {
  return join(projectRoot(), 'dist', 'web');
}
