/**
 * Seeded pseudo-random number generator (sfc32, seeded through splitmix32).
 *
 * The simulator never calls `Math.random`: one seed builds one `Prng`, and every component that needs randomness
 * draws its own child generator with `fork()` (TigerBeetle's simulator does the same), so adding a component does
 * not shift the numbers another component sees.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any finite number; it is truncated to an unsigned 32-bit integer. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A child generator whose seed is drawn from this one. */
  fork(): Prng {
    return new Prng(this.nextUint32());
  }
}
