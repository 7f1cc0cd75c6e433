// Hyperparameter names, help texts (advice from the seed article) and the search-space step.
const space = {
  params: {
    architecture: { label: 'Architecture', help: 'Which autoencoder family a trial builds.' },
    hiddenUnits: { label: 'Hidden layers', help: 'Encoder widths, wide to narrow; the decoder mirrors them.' },
    activation: { label: 'Activation', help: 'ReLU and its variants (Leaky ReLU, ELU) fight vanishing gradients and are the usual choice; sigmoid or tanh bound the values of the hidden layers.' },
    outputActivation: { label: 'Output activation', help: 'Sigmoid for inputs scaled to [0, 1], such as grayscale pixel intensities; linear for unbounded continuous data such as scaled sensor readings. Softmax, for categorical outputs, does not apply to pixel intensities.' },
    earlyStoppingPatience: { label: 'Early-stopping patience', help: 'Stop a trial when its validation loss has not improved for this many epochs.' },
    latentSize: {
      label: 'Latent size',
      help: 'The bottleneck: how many features each image is compressed to. Arguably the hyperparameter with the most effect on feature extraction: reconstruction keeps improving as it grows, while usefulness for a downstream task often peaks and then declines.',
    },
    loss: { label: 'Loss', help: 'Mean squared error suits any pixel data; binary cross-entropy needs outputs in (0, 1), so it is offered only with a sigmoid output.' },
    dropout: { label: 'Dropout', help: 'Share of hidden units dropped at random while training; a regulariser against overfitting. 0 turns it off.' },
    batchNorm: { label: 'Batch normalisation', help: 'Normalises the hidden layers per batch; can speed up and stabilise training of deeper models.' },
    weightDecay: { label: 'Weight decay (L2)', help: 'Penalty on large weights; a regulariser. Search it on a log scale, e.g. 1e-6 to 1e-3, or keep 0.' },
    optimizer: { label: 'Optimizer', help: 'Adam is a popular and usually efficient default; RMSprop, Adagrad and SGD with momentum are the alternatives.' },
    learningRate: { label: 'Learning rate', help: 'Size of each update step: the most sensitive optimisation setting. Search it on a log scale, e.g. 1e-4 to 1e-2.' },
    momentum: { label: 'Momentum', help: 'SGD only: how much of the previous update carries into the next one; 0.9 is common.' },
    nesterov: { label: 'Nesterov momentum', help: 'SGD only: look ahead along the momentum before taking the gradient; often converges a little faster.' },
    batchSize: { label: 'Batch size', help: 'Training samples per iteration. Larger batches run faster per epoch but update less often; 32 to 256 works well.' },
    epochs: { label: 'Epochs', help: 'Full passes over the training data. Too few underfit, too many overfit: early stopping on the validation loss helps.' },
    noiseType: { label: 'Noise type', help: 'Denoising: gaussian adds noise to every pixel; masking sets random pixels to zero. Training inputs only.' },
    noiseLevel: { label: 'Noise level', help: 'Denoising: how strongly the inputs are corrupted while training (the standard deviation, or the share of masked pixels); 0.1 to 0.3 is a good start.' },
    l1: { label: 'L1 sparsity weight', help: 'Sparse: weight of the L1 penalty on the code activations. Larger values switch more code units off; search it on a log scale.' },
    klBeta: { label: 'KL beta', help: 'Variational: weight of the KL term. Larger values give a smoother, more regular latent space at the cost of blurrier reconstructions.' },
    filters: { label: 'Filters', help: 'Convolutional: filters of each strided convolution block, e.g. "16, 32"; several lists are separated by ";".' },
    kernelSize: { label: 'Kernel size', help: 'Convolutional: size of the convolution kernels; odd sizes such as 3 or 5.' },
    codeDropout: {
      label: 'Code dropout',
      help: 'Share of the code (bottleneck) features dropped at random while training: the decoder sees a random subset, so no single feature can carry the reconstruction and each one has to be useful on its own. 0 turns it off; 0.1 to 0.2 is a good start for features meant for a classifier.',
    },
    convNoise: {
      label: 'Input noise (conv)',
      help: 'Convolutional: standard deviation of gaussian noise added to the training inputs, which makes a denoising convolutional autoencoder: it must recover the clean image and so learns robust, data-driven features. 0 trains a plain convolutional autoencoder.',
    },
    // Set per trial, not searched (the model form's own help explains them).
    earlyStoppingMinDelta: { label: 'Early stopping: minimum change' },
    restoreBestWeights: { label: 'Restore best weights' },
    valFraction: { label: 'Validation fraction' },
    seed: { label: 'Seed' },
  },
  groups: {
    model: 'Model',
    optimization: 'Optimisation',
    architecture: 'Architecture-specific',
  },
  modes: {
    fixed: 'Fixed',
    choices: 'Choices',
    range: 'Range',
    aria: 'How {param} is searched',
  },
  fields: {
    value: 'Value',
    choices: 'Values to try',
    choicesHint: 'Separate values with commas',
    listChoicesHint: 'One list per choice, separated by ";"',
    low: 'Low',
    high: 'High',
    log: 'Log scale',
    logHint: 'Sample evenly in orders of magnitude',
    step: 'Step',
    stepPlaceholder: 'none',
    yes: 'on',
    no: 'off',
  },
  onlyFor: 'only for {what}',
  onlyWith: 'only with {what}',
  onlyWithOutput: 'only with a {what} output',
  derived: {
    title: 'From the architecture step',
    edit: 'Edit',
  },
  engine: {
    title: 'Engine check',
    checking: 'The engine is checking the spec…',
    ok: 'The engine accepts this search space.',
    gridSize: 'A full grid over it would be {n} trials.',
    noGrid: 'It has continuous ranges, so it cannot be enumerated as a grid.',
    errors: 'The engine found problems:',
    waiting: 'Fix the problems marked above; the engine checks the spec after that.',
    unreachable: 'The engine could not be asked',
  },
  // Values of the optimizer, loss and noise type as shown (the spec keeps the keys; activations and architectures
  // are named in wizard.architecture). Proper names stay in Latin letters in every language.
  values: {
    adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad', sgd: 'SGD', mse: 'MSE', bce: 'BCE',
    gaussian: 'Gaussian', masking: 'Masking',
  },
  intro: 'Each hyperparameter is fixed, picked from a few values, or searched over a range. Rows that belong to one architecture or optimizer appear only when it is part of the study.',
};

export default space;
