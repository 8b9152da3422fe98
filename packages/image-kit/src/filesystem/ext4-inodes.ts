/**
 * The inodes in use, from `dumpe2fs` output: each group's inodes minus its
 * "Free inodes:" ranges.
 */
export function usedInodes(dumpe2fs: string): number[] {
  const perGroup = Number(/^Inodes per group:\s+(\d+)/m.exec(dumpe2fs)?.[1]);
  if (!Number.isSafeInteger(perGroup) || perGroup <= 0) throw new Error('dumpe2fs output has no "Inodes per group"');
  const used: number[] = [];
  let group = -1;
  for (const line of dumpe2fs.split('\n')) {
    const start = /^Group (\d+):/.exec(line);
    if (start) {
      group = Number(start[1]);
      continue;
    }
    const free = /^\s+Free inodes:\s*(.*)$/.exec(line);
    if (!free || group < 0) continue;
    const first = group * perGroup + 1;
    const last = (group + 1) * perGroup;
    const isFree = new Uint8Array(perGroup);
    for (const range of (free[1] as string).split(',').map((r) => r.trim()).filter(Boolean)) {
      const [a, b] = range.split('-').map(Number) as [number, number | undefined];
      for (let n = a; n <= (b ?? a); n++) if (n >= first && n <= last) isFree[n - first] = 1;
    }
    for (let i = 0; i < perGroup; i++) if (!isFree[i]) used.push(first + i);
    group = -1;
  }
  return used;
}
