import { describe, expect, it } from 'vitest';
import { withStableUuids } from '../src/stable-uuids.js';

describe('withStableUuids', () => {
  it('derives a UUID per partition number from the table\'s, keeping given ones', () => {
    const table = 'D209C89E-EA5E-4FBD-B161-B461CCE297E0';
    const given = 'FAC7F1FB-3E8D-4137-A512-961DE09A5549';
    const [a, b, c] = withStableUuids(table, [{ size: 1 }, { uuid: given }, { partnum: 5 }]);
    expect(b?.uuid).toBe(given);
    expect(a?.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(c?.uuid).not.toBe(a?.uuid);
    expect(withStableUuids(table.toLowerCase(), [{ size: 1 }])[0]?.uuid).toBe(a?.uuid);
    expect(withStableUuids('00000000-0000-0000-0000-000000000001', [{ size: 1 }])[0]?.uuid).not.toBe(a?.uuid);
  });
});
