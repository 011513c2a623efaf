/**
 * Runs `task(0..count-1)` with at most `limit` in flight and waits for all
 * of them, even after one fails, so no task still writes into a buffer the
 * caller is about to reuse. Resolves to each task's error (or undefined).
 */
export async function mapConcurrent(
  count: number,
  limit: number,
  task: (index: number) => Promise<void>,
): Promise<(unknown | undefined)[]> {
  const errors: (unknown | undefined)[] = new Array(count).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        errors[index] = error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, count) }, worker);
  await Promise.all(workers);
  return errors;
}
