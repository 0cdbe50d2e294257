import { basename, dirname, resolve } from 'node:path';

/**
 * Where `npm run build` puts the browser front end, and where the API serves it from unless
 * WEB_DIR says otherwise. Found from this module's own place, so it holds wherever the app is
 * installed (a production image has dist/ and no sources): compiled, this file is
 * dist/apps/web/web-dir.js and the front end dist/web; run from source (the tests), it is
 * apps/web/web-dir.ts and the front end the build's dist/web.
 */
export function defaultWebDir(from: string = __dirname): string {
  const compiled = basename(dirname(dirname(from))) === 'dist';
  return compiled ? resolve(from, '..', '..', 'web') : resolve(from, '..', '..', 'dist', 'web');
}
