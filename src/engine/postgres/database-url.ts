import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { InputError } from '../../model/input-error.js';

// node-postgres accepts postgres:// and postgresql:// URLs (the socket directory may be given as
// `?host=/run/dir`), `socket:/run/dir?db=NAME`, and a bare socket directory followed by a database
// name. Its parser turns anything else into something that looks like a host ("garbage" becomes
// host "base"), so turbo-sim checks the form itself, before it connects or creates anything.
const FORMS = /^(postgres|postgresql|socket):|^\//;

/** The client configuration of a --database-url, or an InputError saying what is wrong with it. */
export function parseDatabaseUrl(url: string): pg.ClientConfig {
  if (url.trim() === '')
    throw new InputError(
      '--database-url (or DATABASE_URL) is empty: give postgres://user@host:port/database',
    );
  if (!FORMS.test(url))
    throw new InputError(
      `--database-url "${redact(url)}" is not a PostgreSQL URL: give postgres://user:password@host:port/database, postgres://user@/database?host=/socket/dir, or socket:/socket/dir?db=database`,
    );
  try {
    return parseIntoClientConfig(url);
  } catch (e) {
    throw new InputError(`--database-url "${redact(url)}": ${(e as Error).message}`);
  }
}

/**
 * The URL with any password replaced by ***, for messages: in the user part, in ?password=, and in
 * a key=value connection string (`host=h password='s e'`), which is refused but echoed.
 */
export function redact(url: string): string {
  return url
    .replace(/^([a-z]+:\/\/[^/@:]*:)[^/]*@/i, '$1***@')
    .replace(/([?&]password=)[^&]*/gi, '$1***')
    .replace(/((?:^|\s)password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']*)/gi, '$1***');
}
