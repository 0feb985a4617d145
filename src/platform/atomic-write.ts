import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes `text` to `file` through a temporary file in the same folder and a rename: a reader sees the old file or
 * the whole new one, never half of it. `mode` sets the permissions of the new file (e.g. 0o600 for secrets).
 */
export function writeFileAtomically(file: string, text: string, opts: { mode?: number } = {}): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, opts.mode === undefined ? {} : { mode: opts.mode });
  renameSync(tmp, file);
}
