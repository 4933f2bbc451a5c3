/**
 * Rounds to `digits` significant digits, so numbers kept in the state stay short in JSON.
 * Values are rounded when they are stored (in memory and on disk alike), so a save and
 * load never changes a later score. Arithmetic rather than `toPrecision` (several times
 * faster): the result is an integer times an exact power of ten, or an integer divided
 * by one, i.e. the double nearest to a short decimal, which JSON prints as that decimal.
 */
export function roundDigits(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const shift = digits - 1 - Math.floor(Math.log10(Math.abs(x)));
  if (shift > 22 || shift < -22) return Number(x.toPrecision(digits));
  return shift >= 0 ? Math.round(x * 10 ** shift) / 10 ** shift : Math.round(x / 10 ** -shift) * 10 ** -shift;
}
