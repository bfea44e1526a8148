import { describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../../core';

/** A rule with the given fix metadata; the casts stand in for mistakes the types already reject. */
function ruleWith(fixes: Record<string, string> | undefined, described: Record<string, string> | undefined) {
  return () =>
    defineRule({
      id: 'pin/example-rule',
      family: 'pin',
      severity: 'warning',
      formats: ['terraform'],
      fixes: fixes as Rule['fixes'],
      docs: { summary: 'Example.', why: 'Example.', fix: 'Example.', fixes: described },
      check() {},
    });
}

describe('defineRule fix metadata', () => {
  it('accepts kinds that are declared and described alike', () => {
    expect(ruleWith({ 'set-private': 'safe' }, { 'set-private': 'Sets the ACL to private.' })).not.toThrow();
    expect(ruleWith(undefined, undefined)).not.toThrow();
  });

  it('rejects a kind without a description, or a description without a kind', () => {
    expect(ruleWith({ 'set-private': 'safe' }, undefined)).toThrow(/docs.fixes must describe exactly/);
    expect(ruleWith(undefined, { 'set-private': 'Sets the ACL to private.' })).toThrow(/docs.fixes must describe exactly/);
  });

  it('rejects a kind that is not kebab-case', () => {
    expect(ruleWith({ setPrivate: 'safe' }, { setPrivate: 'Sets the ACL to private.' })).toThrow(/invalid fix kind setPrivate/);
  });
});
