/** Orders names by their UTF-8 bytes, as `LC_ALL=C sort` does. */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
