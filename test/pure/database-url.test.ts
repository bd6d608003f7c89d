import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redact } from '../../src/engine/postgres/database-url.js';

// Messages echo the URL the user gave; no form of it may print the password.
describe('--database-url in messages', () => {
  it.each([
    ['postgres://me:s3cret@db:5432/app', 'postgres://me:***@db:5432/app'],
    ['postgres://me@/app?host=/run&password=s3cret', 'postgres://me@/app?host=/run&password=***'],
    ['host=db user=me password=s3cret dbname=app', 'host=db user=me password=*** dbname=app'],
    ["host=db password = 'se cr\\'et' dbname=app", 'host=db password = *** dbname=app'],
  ])('masks the password of %s', (url, masked) => {
    expect(redact(url)).toBe(masked);
    expect(redact(url)).not.toContain('s3cret');
  });

  it('refuses a key=value string without printing its password', () => {
    expect(() => parseDatabaseUrl('host=db password=s3cret')).toThrow('password=***');
    expect(() => parseDatabaseUrl('host=db password=s3cret')).not.toThrow('s3cret');
  });
});
