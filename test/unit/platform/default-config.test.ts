import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/platform/config.js';

describe('config/default.yaml', () => {
  it('is valid and says exactly what the built-in defaults are', () => {
    const file = fileURLToPath(new URL('../../../config/default.yaml', import.meta.url));
    expect(loadConfig({ file, env: {} })).toEqual(loadConfig({ env: {} }));
  });
});
