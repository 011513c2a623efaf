import { CassandraReader, CassdlMissingRowError } from '@cassdl/core';
import { type Pipeline, pipeline, SampleError } from '@cassdl/gpu-ops';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs';
import { InferError } from './kserve.js';

/** Class probabilities and the arg-max class of each requested id, in request order. */
export interface Prediction {
  probabilities: Float32Array;
  labels: Int32Array;
  classes: number;
}

/**
 * Fetch by id → preprocess → model, for the classifier the classification
 * example trains: the reader's interactive mode (cassandra-dali-plugin's
 * `cassandra_interactive`) fetches rows, gpu-ops applies the eval transform.
 */
export class Predictor {
  private constructor(
    private readonly reader: CassandraReader,
    private readonly model: tf.LayersModel,
    private readonly transform: Pipeline<undefined>,
    readonly classes: number,
    readonly size: number,
  ) {}

  static async open(
    connection: ConnectionOptionsInput,
    table: string,
    model: tf.LayersModel,
  ): Promise<Predictor> {
    const [, size = 32] = model.inputs[0]?.shape ?? [];
    const classes = Number(model.outputs[0]?.shape.at(-1) ?? 0);
    // labelType 'none': inference reads only the image column.
    const reader = await CassandraReader.open({ connection, table, labelType: 'none' });
    const transform = pipeline()
      .decode({ channels: 3 })
      .resize({ size: Number(size) })
      .normalize({ mean: [127.5], std: [127.5] }) as unknown as Pipeline<undefined>;
    return new Predictor(reader, model, transform, classes, Number(size));
  }

  /** Rejects with `InferError` 404 for an id not in the table, 422 for bytes that do not decode. */
  async predict(ids: readonly string[]): Promise<Prediction> {
    const batch = await this.reader.fetch(ids).catch((error: unknown) => {
      if (error instanceof CassdlMissingRowError) throw new InferError(404, error.message);
      throw error;
    });
    const { xs } = await this.transform.run(batch).catch((error: unknown) => {
      if (error instanceof SampleError) throw new InferError(422, error.message);
      throw error;
    });
    const probs = tf.tidy(() => this.model.predict(xs) as tf.Tensor2D);
    const labels = tf.tidy(() => probs.argMax(-1));
    const [p, l] = await Promise.all([probs.data(), labels.data()]);
    tf.dispose([xs, probs, labels]);
    return {
      probabilities: Float32Array.from(p),
      labels: Int32Array.from(l),
      classes: this.classes,
    };
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
