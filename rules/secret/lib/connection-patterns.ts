import type { Pattern } from './token-patterns';
import { isPlaceholder } from './values';

/**
 * Passwords written inside connection strings, whatever the variable or key that holds them: a URL's user
 * information (any scheme), the Go MySQL driver's scheme-less DSN, ADO.NET and ODBC `Password=` / `Pwd=` pairs, a
 * URL's `password=` query parameter (JDBC) and libpq's keyword/value form. Part of `PATTERNS`, in this order.
 */
export const CONNECTION_PATTERNS: readonly Pattern[] = [
  {
    hints: ['://'],
    kind: 'password in a URL',
    // The user name may be empty: Redis URLs carry the password alone (`redis://:password@host:6379/0`); an image's tag and
    // digest are no user and password (`docker://alpine:3.20@sha256:…`, opencontainers/image-spec descriptor.md#digests).
    re: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:@/'"`<>]{0,256}):([^\s@/'"`<>]{1,256})@(?=[A-Za-z0-9[])(?!sha(?:256|512):[0-9a-fA-F]{32})/g,
    doc: 'https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1',
    group: 2,
    // user == password (`postgres:postgres@`) is a documentation default, as secretlint treats it.
    accept: (password, m, ranAsWritten) => !isPlaceholder(password, ranAsWritten) && !/^\$|^%|[{}]/.test(password) && password !== m[1],
  },
  {
    hints: ['@tcp(', '@tcp6(', '@unix('],
    kind: 'password in a connection string',
    // The Go MySQL driver's DSN, written without a scheme: `user:password@tcp(host:3306)/db` (also `unix(/path)`).
    re: /(?<![\w.-])([\w.-]{1,64}):([^\s:@/'"`<>()]{1,256})@(?:tcp6?|unix)\(/g,
    doc: 'https://github.com/go-sql-driver/mysql#dsn-data-source-name',
    group: 2,
    accept: (password, m, ranAsWritten) => !isPlaceholder(password, ranAsWritten) && !/^\$|^%|[{}]/.test(password) && password !== m[1],
  },
  {
    hints: ['assword=', 'ASSWORD=', 'wd=', 'WD='],
    kind: 'password in a connection string',
    // ADO.NET and ODBC: `Server=...;Database=...;User ID=...;Password=...;` (`Pwd=` in ODBC).
    re: /(?<=;[ \t]{0,4})(?:password|pwd)=([^;'"\s{}][^;'"\r\n]{0,127})/gi,
    doc: 'https://learn.microsoft.com/dotnet/framework/data/adonet/connection-string-syntax',
    group: 1,
    accept: (password, _m, ranAsWritten) => connectionPassword(password, ranAsWritten),
  },
  {
    hints: ['assword=', 'ASSWORD=', 'wd=', 'WD='],
    kind: 'password in a connection string',
    // A URL's query (JDBC: `jdbc:mysql://db:3306/app?user=app&password=...`).
    re: /[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s'"<>?]{1,512}\?(?:[^\s'"<>#&]{0,512}&){0,32}(?:password|passwd|pwd)=([^&\s'"#<>]{1,128})/gi,
    doc: 'https://dev.mysql.com/doc/connector-j/en/connector-j-reference-jdbc-url-format.html',
    group: 1,
    accept: (password, _m, ranAsWritten) => connectionPassword(password, ranAsWritten),
  },
  {
    hints: ['assword=', 'ASSWORD='],
    kind: 'password in a connection string',
    // StackExchange.Redis's configuration string: `host:6380,password=...,ssl=True,abortConnect=False` (Azure Cache for
    // Redis's connection string), told from a list of settings by an endpoint or another of its options beside it.
    re: /(?<=,[ \t]{0,4})password=([^,;'"\s{}()[\]][^,;'"\s()[\]]{0,127})/gi,
    doc: 'https://stackexchange.github.io/StackExchange.Redis/Configuration',
    group: 1,
    accept: (password, m, ranAsWritten) => connectionPassword(password, ranAsWritten) && REDIS_NEIGHBOUR.test(lineAround(m.input, m.index)),
  },
  {
    hints: ['password='],
    kind: 'password in a connection string',
    // libpq's keyword/value form: `host=db dbname=app user=app password=...`, told from a `password=` line by its neighbours.
    re: /(?<=[\s"'])password=([^\s'"]{1,128})/g,
    doc: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE',
    group: 1,
    accept: (password, m, ranAsWritten) =>
      connectionPassword(password, ranAsWritten) && !/[,()[\]]/.test(password) && LIBPQ_NEIGHBOUR.test(lineAround(m.input, m.index)),
  },
];

/** A password of a connection string that is written out, not a placeholder or a variable (`${DB_PASSWORD}`, `%PWD%`, `{pwd}`). */
export function connectionPassword(password: string, ranAsWritten: boolean): boolean {
  return !isPlaceholder(password, ranAsWritten) && !/^\$|^%|[{}]/.test(password);
}

/**
 * Another libpq keyword with an unquoted value ended by a blank or the string's end, which makes `password=` part of
 * a connection string — not of a call's keyword arguments (`connect(user="app", password=pw)`).
 */
const LIBPQ_NEIGHBOUR = /(?:^|[\s"'])(?:host|hostaddr|dbname|user|port|sslmode)=[^\s"',()]+(?=\s|["']|$)/;

/**
 * An endpoint that starts a StackExchange.Redis configuration string (`cache.example.net:6380,`), or another of its
 * options after a comma (`,ssl=True`, `,abortConnect=False`).
 */
const REDIS_NEIGHBOUR =
  /(?:^|["'\s=])[\w.-]{1,253}:\d{2,5},|,[ \t]{0,4}(?:ssl|abortConnect|allowAdmin|connectTimeout|syncTimeout|connectRetry|defaultDatabase|sslHost)=/i;

/** Up to 200 characters either side of an offset, within its line (searched in that window only: a long line stays linear). */
export function lineAround(text: string, at: number): string {
  const from = Math.max(0, at - 200);
  const window = text.slice(from, at + 200);
  const before = window.lastIndexOf('\n', at - from);
  const after = window.indexOf('\n', at - from);
  return window.slice(before + 1, after < 0 ? window.length : after);
}
