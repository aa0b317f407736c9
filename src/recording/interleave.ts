/** Merges per-track packet streams into one, in time order (a muxer interleaves what it is given). */
export async function* interleaveByTime<T>(sources: AsyncIterable<T>[], timeOf: (item: T) => number): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((iterator) => iterator.next()));
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      if (pick < 0 || timeOf(head.value) < timeOf((heads[pick] as IteratorYieldResult<T>).value)) pick = i;
    }
    if (pick < 0) return;
    yield (heads[pick] as IteratorYieldResult<T>).value;
    heads[pick] = await iterators[pick]!.next();
  }
}
