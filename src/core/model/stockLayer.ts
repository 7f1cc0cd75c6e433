// Subclasses of tfjs-layers' own layer classes, for layers that change only how they compute (batchNorm.ts,
// conv2dTranspose.ts, dropout.ts). A subclass inherits the static className, so model.json, the ONNX writer and
// the loaders see tfjs's standard layer, and a loaded model gets tfjs's class back. tfjs-layers does not export
// its classes; its serialization registry, filled when tfjs-layers loads, has them.
import * as tf from '@tensorflow/tfjs';

export type LayerClass<A> = new (args: A) => tf.layers.Layer;

/** tfjs's class registered under `className`. */
export function stockLayerClass<A>(className: string): LayerClass<A> {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`tfjs-layers has not registered ${className}`);
  return entry[0] as unknown as LayerClass<A>;
}

/** A layer factory whose class is made on first use (after tfjs-layers has filled its registry). */
export function lazyLayer<A>(makeClass: () => LayerClass<A>): (args: A) => tf.layers.Layer {
  let made: LayerClass<A> | null = null;
  return (args) => new (made ??= makeClass())(args);
}
