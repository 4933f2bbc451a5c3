/** 10 ** k for k in 0..22, all exact doubles: a table read instead of two `Math.pow` calls per rounding. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Decimal exponents the fast path handles (wider than any shift of at most 22 needs). */
const MIN_EXP = -40;
const MAX_EXP = 40;
/** The double nearest 10 ** e, at index e - MIN_EXP (parsed, hence correctly rounded). */
const TEN = Float64Array.from({ length: MAX_EXP - MIN_EXP + 2 }, (_, i) => Number(`1e${i + MIN_EXP}`));
/** Relative distance to a power of ten within which `Math.log10` is asked after all. */
const MARGIN = 1e-12;
const LOG10_2 = Math.log10(2);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the word holding sign and exponent: the exponent path is only taken where it was checked. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * floor(log10(a)) for a finite a > 0, exactly as `Math.floor(Math.log10(a))` gives it. The binary
 * exponent bounds it to two candidates; a value close to a power of ten (where `log10` itself may
 * round onto the integer) is left to `Math.log10`, so the answer never differs from it.
 */
function decimalExponent(a: number): number {
  const e = clearExponent(a);
  return e === NEAR_POWER ? Math.floor(Math.log10(a)) : e;
}

/** What `clearExponent` returns for a value too close to a power of ten (or out of range) to decide. */
const NEAR_POWER = 1e9;

/** Per biased binary exponent (sign bit clear), `Math.floor(binary * LOG10_2)`: the lower candidate, from a table. */
const FIRST_GUESS = Int16Array.from({ length: 2048 }, (_, biased) => Math.floor((biased - 1023) * LOG10_2));
/** `TEN[i] * (1 + MARGIN)` and `TEN[i + 1] * (1 - MARGIN)`: the products that bound a clear exponent i + MIN_EXP. */
const CLEAR_LO = TEN.map((ten) => ten * (1 + MARGIN));
const CLEAR_HI = TEN.map((_, i) => (TEN[i + 1] ?? Infinity) * (1 - MARGIN));

/** floor(log10(a)) for a finite a > 0 when a is clearly between two powers of ten, else NEAR_POWER. */
function clearExponent(a: number): number {
  bits[0] = a;
  let e = FIRST_GUESS[(words[HIGH] as number) >>> 20] as number;
  if (e > MIN_EXP && e < MAX_EXP) {
    if (a >= (TEN[e + 1 - MIN_EXP] as number)) e += 1;
    if (a >= (CLEAR_LO[e - MIN_EXP] as number) && a <= (CLEAR_HI[e - MIN_EXP] as number)) return e;
  }
  return NEAR_POWER;
}

/** Distance from a half within which the scaled value is too close to a tie to round by arithmetic. */
const TIE_MARGIN = 1e-6;

/**
 * `Number(x.toPrecision(digits))` for a finite non-zero x (zeros and non-finite values come back
 * as they are), by arithmetic where that is provably the same (digits at most 9): the scaled value
 * is then off its exact decimal by far less than its distance to a rounding tie, and the quotient
 * or product of exact integers is the double nearest that decimal, which is what parsing the
 * string gives. Near ties and near powers of ten take `toPrecision` itself.
 */
export function toPrecisionNumber(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const e = clearExponent(a);
  const shift = digits - 1 - e;
  if (e === NEAR_POWER || digits > 9 || shift > 22 || shift < -22) return Number(x.toPrecision(digits));
  const p = POW10[shift >= 0 ? shift : -shift] as number;
  const y = shift >= 0 ? a * p : a / p;
  const below = Math.floor(y);
  if (Math.abs(y - below - 0.5) < TIE_MARGIN) return Number(x.toPrecision(digits));
  const n = y - below < 0.5 ? below : below + 1;
  const m = shift >= 0 ? n / p : n * p;
  return x < 0 ? -m : m;
}

/**
 * Rounds to `digits` significant digits, so numbers kept in the state stay short in JSON.
 * Values are rounded when they are stored (in memory and on disk alike), so a save and
 * load never changes a later score. Arithmetic rather than `toPrecision` (several times
 * faster): the result is an integer times an exact power of ten, or an integer divided
 * by one, i.e. the double nearest to a short decimal, which JSON prints as that decimal.
 */
export function roundDigits(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const shift = digits - 1 - decimalExponent(Math.abs(x));
  if (shift > 22 || shift < -22) return Number(x.toPrecision(digits));
  if (shift >= 0) {
    const p = POW10[shift] as number;
    return Math.round(x * p) / p;
  }
  const p = POW10[-shift] as number;
  return Math.round(x / p) * p;
}
