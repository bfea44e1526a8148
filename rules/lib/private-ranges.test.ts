import { describe, expect, it } from 'vitest';
import { isPrivateRange } from './private-ranges';

describe('isPrivateRange', () => {
  it('reads ranges wholly inside a private block as private', () => {
    for (const v of [
      '10.0.0.0/8',
      '10.20.0.0/16',
      '172.16.0.0/12',
      '172.31.255.0/24',
      '192.168.1.5',
      '127.0.0.1/32',
      '169.254.169.254',
      'fd00::/8',
      'fd12:3456::/48',
      'fc00::/7',
      'fe80::/64',
      '::1',
      ' 10.1.2.3/32 ',
    ]) {
      expect(isPrivateRange(v), v).toBe(true);
    }
  });

  it('reads public, wider and malformed ranges as not private', () => {
    for (const v of [
      '0.0.0.0/0',
      '::/0',
      '203.0.113.0/24',
      '10.0.0.0/7',
      '172.32.0.0/16',
      '172.0.0.0/8',
      '192.169.0.0/16',
      'fc00::/6',
      '2001:db8::/32',
      '11.0.0.0/8',
      '300.1.1.1',
      '10.0.0.0/33',
      'fd00::/129',
      '',
      '*',
      'office',
    ]) {
      expect(isPrivateRange(v), v).toBe(false);
    }
  });
});
