const UNITS = ['bytes', 'KB', 'MB', 'GB'] as const;

/** 1536 → "1.5 KB" (powers of 1024, the way file managers show sizes). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${UNITS[i]}`;
}

/** ["image/png", "application/pdf"] → "PNG, PDF". */
export function formatTypes(types: readonly string[]): string {
  return types.map((t) => (t.split('/')[1] ?? t).replace(/^x-/, '').toUpperCase()).join(', ');
}
