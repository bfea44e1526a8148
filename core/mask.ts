/**
 * Secrets are never printed back. `mask` keeps enough to recognise a key (`AKIA…XYZ1`) and nothing to use it.
 */
export function mask(secret: string): string {
  const s = secret.trim();
  if (s.length >= 16) return `${s.slice(0, 4)}…${s.slice(-4)}`;
  if (s.length >= 8) return `${s.slice(0, 2)}…${s.slice(-2)}`;
  return '…';
}
