/**
 * The size of each key's value as the trace first shows it: the payload of
 * the source row a replay creates for the key (ids are 1..uniqueKeys in order
 * of first sight, so index i is key id i + 1).
 */
import type { BuiltTrace } from './traceBuilder.ts';

export function firstSightSizes(trace: Pick<BuiltTrace, 'key' | 'valueSize' | 'uniqueKeys'>): Int32Array {
  const sizes = new Int32Array(trace.uniqueKeys).fill(-1);
  const { key, valueSize } = trace;
  for (let i = 0; i < key.length; i++) {
    const k = (key[i] as number) - 1;
    if (sizes[k] === -1) sizes[k] = valueSize[i] as number;
  }
  return sizes;
}
