/**
 * A strict RFC 7464 (application/json-seq) reader for the tests: every record
 * is RS (0x1E), one JSON text, LF. Anything else is an error: bytes before
 * the first RS, a record without its LF, whitespace around the JSON text,
 * a text that does not parse, an empty record.
 */
export function parseJsonSeq(data: string): unknown[] {
  if (data.length === 0) return [];
  if (data[0] !== '\x1e') throw new Error(`json-seq: data does not start with RS (got ${JSON.stringify(data.slice(0, 20))})`);
  const records = data.slice(1).split('\x1e');
  return records.map((record, i) => {
    if (!record.endsWith('\n')) throw new Error(`json-seq: record ${i} does not end with LF: ${JSON.stringify(record.slice(-40))}`);
    const text = record.slice(0, -1);
    if (text.length === 0) throw new Error(`json-seq: record ${i} is empty`);
    if (text !== text.trim()) throw new Error(`json-seq: record ${i} has whitespace around its JSON text`);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`json-seq: record ${i} is not JSON: ${(error as Error).message}`);
    }
  });
}
