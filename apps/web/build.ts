import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { defaultWebDir } from './web-dir';

/** The repository's root, where the sources are: the nearest folder up from here with package.json and apps/web. */
export function projectRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'apps', 'web', 'static'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No project sources above ${from}`);
  }
}

/** One bundle per page (the support workers' app is one page with its own views); ECharts goes only into the dashboard's. */
export const WEB_PAGES = ['dashboard', 'timeline', 'app'] as const;

export interface WebBuildResult {
  outDir: string;
  /** Each output file and its size in bytes, for the build log and the size check in tests. */
  files: Record<string, number>;
}

/**
 * Bundles the browser code (apps/web/src, TypeScript) with esbuild into `outDir/assets`, and
 * copies the page shells and styles (apps/web/static). Everything a page loads is served
 * from here: no CDN, no runtime fetch of code from elsewhere.
 */
export async function buildWeb(outDir: string = defaultWebDir(), options: { minify?: boolean; precompress?: boolean } = {}): Promise<WebBuildResult> {
  const root = projectRoot();
  const assets = join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(WEB_PAGES.map((page) => [page, `apps/web/src/${page}/main.ts`])),
    outdir: assets,
    bundle: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    tsconfig: join(root, 'apps/web/tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
    legalComments: 'linked',
  });
  cpSync(join(root, 'apps/web/static'), outDir, { recursive: true });
  if (options.precompress ?? true) precompress(assets);
  const files: Record<string, number> = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) files[file.slice(file.indexOf('assets/'))] = output.bytes;
  for (const file of readdirSync(join(root, 'apps/web/static'))) files[file] = 0;
  return { outDir, files };
}

/**
 * Brotli and gzip copies of the scripts and styles, served in their place to browsers that
 * accept them (@fastify/static's preCompressed): the dashboard's bundle, mostly ECharts, is
 * about a third of its size gzipped and less with brotli, with no compression work per request.
 */
function precompress(assets: string): void {
  for (const file of readdirSync(assets).filter((name) => /\.(js|css)$/.test(name))) {
    const content = readFileSync(join(assets, file));
    writeFileSync(join(assets, `${file}.br`), brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(join(assets, `${file}.gz`), gzipSync(content, { level: 9 }));
  }
}

if (require.main === module) {
  const started = Date.now();
  buildWeb(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    ({ outDir, files }) => {
      const scripts = Object.entries(files).filter(([name]) => name.endsWith('.js'));
      const sizes = scripts.map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KiB`).join(', ');
      console.log(`Web front end built into ${outDir} in ${Date.now() - started} ms: ${sizes}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
