import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ReplayError } from './errors.js';

/** File adapters for replay: a streaming JSONL line reader and a JSONL writer with backpressure. */

export interface InputLine {
  /** 1-based line number in the file (blank lines count, so it matches an editor). */
  lineNo: number;
  /** The line's bytes exactly as in the file, without the line ending. */
  bytes: Buffer;
}

const UTF8_BOM = '\u00ef\u00bb\u00bf'; // EF BB BF read as latin1

/**
 * Streams the lines of a file without loading it. The file is decoded as latin1 (one char per
 * byte) so each line can be turned back into its exact bytes: a line that is not valid UTF-8 then
 * reaches the pipeline unchanged and is dead-lettered as INVALID_ENCODING, as it would be on Kafka.
 * Splits on \n and \r\n; a UTF-8 byte-order mark at the start of the file is dropped.
 */
export async function* readLines(path: string): AsyncGenerator<InputLine> {
  await checkReadable(path);
  const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: 256 * 1024 });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      const text = lineNo === 1 && line.startsWith(UTF8_BOM) ? line.slice(UTF8_BOM.length) : line;
      yield { lineNo, bytes: Buffer.from(text, 'latin1') };
    }
  } catch (err) {
    throw new ReplayError('input', `cannot read ${path} (after line ${lineNo}): ${(err as Error).message}`, { cause: err });
  } finally {
    rl.close();
    stream.destroy();
  }
}

/** Throws a ReplayError('input') that says what is wrong with the input path. */
export async function checkReadable(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ReplayError('input', `cannot read input ${path}: ${why}`, { cause: err });
  }
  if (!info.isFile()) throw new ReplayError('input', `input ${path} is not a file`);
}

export interface JsonlWriter {
  readonly path: string;
  /** Appends lines (each without its newline); resolves when the stream can take more. */
  write(lines: readonly string[]): Promise<void>;
  /** Flushes and closes; idempotent. */
  close(): Promise<void>;
}

/** Opens (truncates) a JSONL output file; fails early with a ReplayError('output') if it cannot be created. */
export async function openJsonlWriter(path: string): Promise<JsonlWriter> {
  const stream: WriteStream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (err) => (failure = err));
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new ReplayError('output', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  let closed: Promise<void> | undefined;
  const check = (): void => {
    if (failure) throw new ReplayError('output', `writing ${path} failed: ${failure.message}`, { cause: failure });
  };
  return {
    path,
    async write(lines) {
      check();
      if (lines.length === 0) return;
      if (!stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
      check();
    },
    close() {
      closed ??= new Promise<void>((done, fail) => {
        if (stream.destroyed) return failure ? fail(failure) : done();
        stream.end(() => (failure ? fail(new ReplayError('output', `writing ${path} failed: ${failure.message}`)) : done()));
      });
      return closed;
    },
  };
}

/** True when two paths name the same file (so an output never overwrites the input). */
export const samePath = (a: string, b: string): boolean => resolve(a) === resolve(b);
