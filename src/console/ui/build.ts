/**
 * `tsx src/console/ui/build.ts <out dir>` (part of `npm run build`): writes the UI bundle (app.js), the page and the
 * stylesheet to the directory, where the built console serves them from (src/console/ui/assets.ts).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, WEB_DIR } from './assets.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: tsx src/console/ui/build.ts <out dir>\n');
  process.exit(64);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'app.js'), await bundle(join(WEB_DIR, 'main.ts')));
for (const f of ['index.html', 'app.css']) copyFileSync(join(WEB_DIR, f), join(out, f));
process.stdout.write(`console UI written to ${out}\n`);
