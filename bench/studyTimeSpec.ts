// The study of bench/studyTime.ts (and bench/studyTimeline.ts), written once: 12 TPE trials (4 random startup)
// over dense (256-64) and conv (16/32) autoencoders, latent {16, 32, 64}, activation {relu, elu}, learning rate
// 3e-4..3e-3 (log), batch 128, 6 epochs, 2 trainers. bench/study_optuna.py is its Optuna + PyTorch twin.
export type ProbeChoice = 'cv' | 'fixed';
/** The probe as the spec says it: cv = the product's default (standardised, C by CV); fixed = C 1 on raw codes. */
const probeSpec = (probe: ProbeChoice): object => (probe === 'cv' ? { kind: 'logistic' } : { kind: 'logistic', C: 1, standardize: false });

export const studyTimeSpec = (folder: string, seed: number, probe: ProbeChoice = 'cv'): object => ({
  name: 'studyTime',
  dataset: { path: folder, imageSize: 28, channels: 1, valFraction: 0.15, testFraction: 0.125 },
  searchSpace: {
    params: [
      { name: 'architecture', type: 'categorical', choices: ['dense', 'conv'] },
      { name: 'hiddenUnits', type: 'fixed', value: [256, 64], condition: { parent: 'architecture', values: ['dense'] } },
      { name: 'filters', type: 'fixed', value: [16, 32], condition: { parent: 'architecture', values: ['conv'] } },
      { name: 'latentSize', type: 'categorical', choices: [16, 32, 64] },
      { name: 'activation', type: 'categorical', choices: ['relu', 'elu'] },
      { name: 'learningRate', type: 'float', low: 3e-4, high: 3e-3, log: true },
      { name: 'batchSize', type: 'fixed', value: 128 },
      { name: 'epochs', type: 'fixed', value: 6 },
    ],
  },
  objectives: [{ name: 'val_accuracy' }],
  probe: probeSpec(probe),
  sampler: { type: 'tpe', startupTrials: 4 },
  pruner: { type: 'nop' },
  budget: { trials: 12 },
  seed,
  parallel: 2,
});
