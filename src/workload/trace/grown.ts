type TypedArray = Float64Array | Int32Array | Uint16Array | Uint8Array;

/** A copy of a typed array at least `needed` long (doubling), holding the same values first. */
export function grown<T extends TypedArray>(array: T, needed: number): T {
  let size = Math.max(1, array.length * 2);
  while (size < needed) size *= 2;
  const copy = new (array.constructor as new (n: number) => T)(size);
  copy.set(array);
  return copy;
}
