import * as tf from '@tensorflow/tfjs';

/**
 * Picks the fastest TensorFlow.js backend this machine has. The native
 * bindings (`@tensorflow/tfjs-node-gpu` for CUDA, then `@tensorflow/tfjs-node`)
 * are optional: their install downloads libtensorflow, which not every machine
 * can, so they are imported only if the user installed them, and the examples
 * otherwise run on the pure-JS cpu backend of `@tensorflow/tfjs`.
 */
export async function useBestBackend(): Promise<string> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (await tryImport(pkg)) {
      await tf.setBackend('tensorflow');
      await tf.ready();
      return `${tf.getBackend()} (${pkg})`;
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu (@tensorflow/tfjs; install @tensorflow/tfjs-node or -node-gpu for speed)';
}

async function tryImport(specifier: string): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the package.
    await import(/* @vite-ignore */ specifier);
    return true;
  } catch {
    return false;
  }
}
