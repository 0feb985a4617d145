/** Vitest setupFile of the integration project: each file's testSetup prefixes are removed from Redis after the file. */
import { afterAll } from 'vitest';
import { dropUsedPrefixes } from '../helpers/redis-keys.js';

afterAll(dropUsedPrefixes, 120_000);
