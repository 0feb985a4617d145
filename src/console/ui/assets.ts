import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../platform/logger.js';
import { sendError, type Route } from '../http.js';

/**
 * The browser UI's files (src/console/ui/web/): index.html, app.css and app.js, the bundle of main.ts with
 * sigma.js, graphology and ForceAtlas2. A build (`npm run build`) writes the bundle next to the page; run from
 * source, the console bundles it with esbuild once, on first use, in memory. Served without authentication:
 * they hold code, no data (every /api route checks the session). Nothing is fetched from outside the console.
 */
export interface UiFiles {
  html: string;
  css: string;
  js: string;
}

export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'web');

/** Bundles main.ts (or the built app.js when there is one) and reads the page and the stylesheet. */
export async function loadUiFiles(dir: string = WEB_DIR): Promise<UiFiles> {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const css = readFileSync(join(dir, 'app.css'), 'utf8');
  const built = join(dir, 'app.js');
  if (existsSync(built)) return { html, css, js: readFileSync(built, 'utf8') };
  return { html, css, js: await bundle(join(dir, 'main.ts')) };
}

export async function bundle(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

const TYPES = { html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;

/** GET / (the page), /ui/app.css and /ui/app.js, loaded on the first request for one of them (not at start-up). */
export function uiRoutes(logger: Logger, load: () => Promise<UiFiles> = () => loadUiFiles()): Route[] {
  let files: Promise<UiFiles> | undefined;
  const get = (): Promise<UiFiles> => {
    files ??= load().catch((err: Error) => {
      files = undefined; // try again on the next request
      logger.error({ err: err.message }, 'console UI could not be loaded');
      throw err;
    });
    return files;
  };
  const serve = (path: string, kind: keyof UiFiles): Route => ({
    method: 'GET',
    path,
    handle: async (_req, res) => {
      const f = await get().catch(() => undefined);
      if (!f) return sendError(res, 503, 'UI_UNAVAILABLE', 'the console UI could not be loaded (see the console log)');
      res.writeHead(200, { 'content-type': TYPES[kind], 'cache-control': 'no-cache' }).end(f[kind]);
    },
  });
  return [serve('/', 'html'), serve('/ui/app.css', 'css'), serve('/ui/app.js', 'js')];
}
