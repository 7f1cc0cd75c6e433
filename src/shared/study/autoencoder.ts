// The autoencoder's hyperparameters as a search space sees them: the options each categorical one has (from
// the trial schema, AutoencoderParams), so the engine's templates and the wizard list the same values.
import * as S from '../schemas';

export const ARCHITECTURES = S.Architecture.options;
export type Architecture = (typeof ARCHITECTURES)[number];
export const ACTIVATIONS = S.Activation.options;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const OUTPUT_ACTIVATIONS = S.OutputActivation.options;
export type OutputActivationName = (typeof OUTPUT_ACTIVATIONS)[number];
export const OPTIMIZERS = S.OptimizerName.options;
export const NOISE_TYPES = S.NoiseType.options;
export const LOSSES = S.LossName.options;
