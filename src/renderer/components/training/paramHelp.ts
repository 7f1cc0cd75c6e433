// Short advice shown under each hyperparameter.
import type { ParamsField } from '../../lib/paramsForm';

export const PARAM_HELP: Partial<Record<ParamsField, string>> = {
  latentSize:
    'Bottleneck width = features per image. Smaller compresses harder; larger reconstructs better but can keep noise. 8–64 is typical.',
  hiddenUnits:
    'Encoder layer widths, wide to narrow, e.g. "256, 64"; the decoder mirrors them. Leave empty for no hidden layer.',
  activation: 'Non-linearity of the hidden layers. relu is a solid default; leakyRelu or elu avoid dead units.',
  outputActivation: 'sigmoid for pixels in [0,1]; linear only if the inputs are not scaled to [0,1].',
  optimizer: 'adam adapts the step size per weight and is the safest start.',
  learningRate: '1e-3 is a good Adam start. Lower it if the loss jumps around; raise it if the loss falls slowly.',
  batchSize: 'Images per weight update. Larger batches run faster per epoch but make fewer updates; 32–256 works well.',
  epochs: 'Passes over the training images. Stop adding epochs when the validation loss flattens or rises.',
  valFraction: 'Share of images held out from training to measure validation loss and detect overfitting.',
  seed: 'Fixes the train/validation split and the initial weights, so a run can be reproduced.',
};
