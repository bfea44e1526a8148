/**
 * The readers of container and CI files' credentials (round 27): the scripts shells are given with `-c`, `user/password`
 * pairs under `*_AUTH` names, option lists held in variables, Java system properties and the Go MySQL driver's
 * scheme-less DSN. Each finds what it should and leaves its near misses alone, and the ones that read whole texts take
 * time linear in the text from N to 4N on hostile input.
 */
import { describe, expect, it } from 'vitest';
import { shellCommands } from '../rules/lib/shell';
import { Collector } from '../rules/secret/lib/collector';
import { optionListSites } from '../rules/secret/lib/command-sites';
import { findTokens } from '../rules/secret/lib/tokens';
import { isUserPassword } from '../rules/secret/lib/values';
import { growthFrom, growthFromAsync, LINEAR_GROWTH_LIMIT } from './hostile/scaling';

const optionSites = (value: string) => {
  const out = new Collector();
  optionListSites(value, { start: 0, end: value.length }, out);
  return out.sites.map((s) => [s.kind, s.key, s.value]);
};

describe('container and CI credential readers', () => {
  it('take a user and password written with a slash (NEO4J_AUTH) as a pair, not a path or a keyword', () => {
    expect(isUserPassword('neo4j/Jm6Wq2Tz9Kx4Rv7N')).toBe(true);
    expect(isUserPassword('ci:Jm6Wq2Tz9Kx4Rv7N')).toBe(true);
    expect(isUserPassword('none')).toBe(false);
    expect(isUserPassword('neo4j/password')).toBe(false);
    expect(isUserPassword('var/lib/neo4j/Jm6Wq2Tz9Kx4Rv7N')).toBe(false);
  });

  it('read an option list as the command line it joins, each credential under its setting', () => {
    expect(optionSites('--requirepass Kd8Rw2Zq5Nt9Vx3L --appendonly yes')).toEqual([['line', 'requirepass', 'Kd8Rw2Zq5Nt9Vx3L']]);
    expect(optionSites('-Xmx512m -Dspring.datasource.password=Pw4Tq9Lz2Xv7Nm3K -Dserver.port=8080')).toEqual([
      ['line', 'spring.datasource.password', 'Pw4Tq9Lz2Xv7Nm3K'],
    ]);
    expect(optionSites('--save 60 1000 --appendonly yes')).toEqual([]);
    expect(optionSites('-Djavax.net.ssl.trustStore=/etc/ssl/ts.jks')).toEqual([]);
    expect(optionSites('--requirepass ${REDIS_PASSWORD}')).toEqual([]);
    expect(optionSites('redis --requirepass Kd8Rw2Zq5Nt9Vx3L')).toEqual([]);
  });

  it('find the password of a scheme-less Go MySQL DSN, not one without a password or from a variable', async () => {
    const found = async (text: string) => (await findTokens(text)).map((t) => text.slice(t.start, t.end));
    expect(await found('MYSQL_DSN=reporter:Rt6Wq2Zx9Lk4Vn7P@tcp(mysql:3306)/reports\n')).toEqual(['Rt6Wq2Zx9Lk4Vn7P']);
    expect(await found('DSN=etl:Hq8Lz3Tx6Wn2Rv9K@unix(/var/run/mysqld/mysqld.sock)/etl\n')).toEqual(['Hq8Lz3Tx6Wn2Rv9K']);
    expect(await found('DSN=viewer@tcp(mysql:3306)/reports\nDSN=app:${DB_PASSWORD}@tcp(db:3306)/app\nDSN=root:root@tcp(db)/x\n')).toEqual([]);
  });

  it('take time linear in the text on hostile input', async () => {
    await findTokens('warm-up');
    expect(
      await growthFromAsync(2_000, async (n) => {
        await findTokens('a:bcdefgh@tcp( a:b@tcp6 x:'.repeat(n));
      }),
    ).toBeLessThan(LINEAR_GROWTH_LIMIT);
    expect(
      growthFrom(2_000, (n) => {
        shellCommands(`sh -c 'bash -lc "pip install x" ' ${'sh -c -e -o x '.repeat(n)}`);
        optionListSites('--token '.repeat(n), { start: 0, end: 8 * n }, new Collector());
      }),
    ).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
