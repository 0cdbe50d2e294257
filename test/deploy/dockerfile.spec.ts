import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The image cannot be built on our machines (no Docker), so the Dockerfile is checked for the
 * mistakes that would break `docker build` or the running container: a source folder the
 * build compiles but never copied (the CLI imports seeds/), a COPY of something missing, dev
 * dependencies in the runtime, running as root.
 */
const ROOT = resolve(__dirname, '..', '..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).slice(0, -1));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

describe('the Dockerfile', () => {
  it('copies every file it names', () => {
    for (const source of copied) expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
  });

  it('copies every top-level folder the built apps import from', () => {
    const needed = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'apps'))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        needed.add(relative(ROOT, resolve(dirname(file), specifier)).split('/')[0]);
      }
    }
    expect([...needed].sort()).toEqual(expect.arrayContaining(['apps', 'libs', 'projections']));
    for (const folder of needed) expect([folder, copied.includes(folder)]).toEqual([folder, true]);
  });

  it('runs production dependencies only, installed by npm ci --omit=dev, as the unprivileged node user', () => {
    const runtime = stages[stages.length - 1];
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/npm (ci|install)(?!.*--omit=dev)/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist dist/);
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('is not starved by .dockerignore of anything the build reads', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    for (const source of copied) expect([source, ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`))]).toEqual([source, false]);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });
});
