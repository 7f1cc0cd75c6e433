import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../shared/dto';

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    case 'sgd':
      // Plain SGD stalls on autoencoders; momentum 0.9 is the usual companion.
      return tf.train.momentum(learningRate, 0.9);
  }
}
