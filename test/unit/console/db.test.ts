import { describe, expect, it } from 'vitest';
import { isDataError, postgresError, schemaIdent } from '../../../src/console/db.js';
import { LendguardError } from '../../../src/platform/errors.js';

const pgErr = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

describe('PostgreSQL errors in the catalogue', () => {
  it('retries what means "not now": connection failures, shutdowns, too many connections, serialisation, timeouts', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '53300', '40001', '40P01', '57014']) {
      expect(postgresError(pgErr(code), 'x'), code).toMatchObject({ code: 'POSTGRES_UNAVAILABLE', policy: 'retriable' });
    }
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], ''),
    ]) {
      expect(postgresError(err, 'x').code, err.message).toBe('POSTGRES_UNAVAILABLE');
    }
  });

  it('stops on what retrying cannot fix, and names the SQLSTATE', () => {
    for (const code of ['42501', '42P01', '42601', '3F000']) {
      const e = postgresError(pgErr(code, 'permission denied'), 'storing');
      expect(e, code).toMatchObject({ code: 'POSTGRES_FAILED', policy: 'fatal' });
      expect(e.message).toBe(`storing: permission denied (SQLSTATE ${code})`);
    }
  });

  it('keeps a LendguardError, and treats a TypeError as a bug (INTERNAL)', () => {
    const own = new LendguardError('POSTGRES_FAILED', 'mine');
    expect(postgresError(own, 'x')).toBe(own);
    expect(postgresError(new TypeError('undefined is not a function'), 'x').code).toBe('INTERNAL');
  });

  it('tells data errors (class 22, 23) apart', () => {
    expect(isDataError(pgErr('22P05'))).toBe(true);
    expect(isDataError(pgErr('23505'))).toBe(true);
    expect(isDataError(pgErr('08006'))).toBe(false);
    expect(isDataError(new Error('x'))).toBe(false);
  });

  it('quotes only schema names the config accepts', () => {
    expect(schemaIdent('lendguard')).toBe('"lendguard"');
    expect(() => schemaIdent('a"; DROP SCHEMA public; --')).toThrow(/invalid schema name/);
  });
});
