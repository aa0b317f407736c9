/**
 * Exact nearest-colour search (Euclidean RGB) over a fixed palette: the entries are sorted by
 * green once, and each query searches outward from its own green level, stopping in a direction
 * once green alone is farther than the best match so far. Same answer as a full scan (ties go to
 * the lowest palette index, as a scan would give) for a fraction of the distances. Used per
 * histogram cell in k-means and per new colour when mapping GIF frames.
 */
export class NearestColor {
  /** Palette index of each sorted entry. */
  readonly #index: Int32Array;
  readonly #r: Float64Array;
  readonly #g: Float64Array;
  readonly #b: Float64Array;

  constructor(palette: readonly (readonly [number, number, number])[]) {
    if (palette.length === 0) throw new RangeError('NearestColor: empty palette');
    const order = Array.from(palette.keys()).sort((a, b) => palette[a]![1] - palette[b]![1] || a - b);
    this.#index = Int32Array.from(order);
    this.#r = Float64Array.from(order, (j) => palette[j]![0]);
    this.#g = Float64Array.from(order, (j) => palette[j]![1]);
    this.#b = Float64Array.from(order, (j) => palette[j]![2]);
  }

  /** Palette index of the entry nearest to (r, g, b). */
  nearest(r: number, g: number, b: number): number {
    const pg = this.#g;
    // First entry with green >= g (binary search), then outward both ways.
    let lo = 0;
    let hi = pg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pg[mid]! < g) lo = mid + 1;
      else hi = mid;
    }
    this.#bestAt = -1;
    this.#bestDistance = Infinity;
    this.#scan(lo, 1, r, g, b);
    this.#scan(lo - 1, -1, r, g, b);
    return this.#index[this.#bestAt]!;
  }

  // The query's best so far, in fields rather than a returned object: no allocation per query.
  #bestAt = -1;
  #bestDistance = Infinity;

  /** Walks from `start` by `step` while green alone is no farther than the best so far. */
  #scan(start: number, step: 1 | -1, r: number, g: number, b: number): void {
    const pr = this.#r;
    const pg = this.#g;
    const pb = this.#b;
    const index = this.#index;
    for (let at = start; at >= 0 && at < pg.length; at += step) {
      const dg = pg[at]! - g;
      // `>`, not `>=`: an entry exactly as far must still be seen, for the lowest-index tie.
      if (dg * dg > this.#bestDistance) return;
      const dr = pr[at]! - r;
      const db = pb[at]! - b;
      const distance = dr * dr + dg * dg + db * db;
      if (distance < this.#bestDistance || (distance === this.#bestDistance && index[at]! < index[this.#bestAt]!)) {
        this.#bestDistance = distance;
        this.#bestAt = at;
      }
    }
  }
}
