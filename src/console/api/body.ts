import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';

/**
 * The JSON body of a request, at most `maxBytes` (413 past it, checked on Content-Length first and while reading),
 * `application/json` only (415). An empty body is `undefined`: the route's schema decides whether that will do.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ApiError('INVALID_REQUEST', 'the body is not valid JSON', [{ path: 'body', message: 'not valid JSON' }]);
  }
}

function tooLarge(maxBytes: number): ApiError {
  // The connection is closed after the answer: the rest of the body is not read.
  return new ApiError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`, undefined, { connection: 'close' });
}
