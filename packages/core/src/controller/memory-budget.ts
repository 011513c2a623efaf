import { totalmem } from 'node:os';

const GIB = 2 ** 30;

/** `memoryBudget: 'auto'`: the lesser of 1 GiB and a quarter of the machine's memory. */
export function resolveMemoryBudget(option: number | 'auto', total = totalmem()): number {
  return option === 'auto' ? Math.min(GIB, Math.floor(total / 4)) : option;
}
