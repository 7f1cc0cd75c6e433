// Side navigation and section headings.
const nav = {
  aria: 'Sections',
  groups: {
    studies: 'Studies',
    single: 'Single trial',
  },
  newStudy: {
    label: 'New study',
    hint: 'Wizard: data, space, strategy',
    title: 'New study',
    intro: 'Describe a hyperparameter search step by step: the images, the architectures to compare, the search space, the objective and the strategy. The last step shows the study as JSON and starts it.',
  },
  studies: {
    label: 'Studies',
    hint: 'Searches, dashboards, analytics',
    hintCount: 'No studies | 1 study | {n} studies',
    title: 'Studies',
    intro: 'Every search is stored in the local trial database. Open one to watch it run or to analyse its trials.',
  },
  dataset: {
    label: 'Dataset',
    hintNone: 'No folder open',
    hintOpen: '{name} · {count}',
    title: 'Dataset',
    intro: 'Choose a local folder of images. Nothing leaves this computer; decoded images are cached for the next run.',
  },
  train: {
    label: 'Model & training',
    hintIdle: 'One autoencoder, by hand',
    hintStarting: 'Starting…',
    hintEpoch: 'Epoch {epoch}/{epochs}',
    hintLast: 'Last run: {state}',
    title: 'Model & training',
    intro: 'Configure one autoencoder (dense, convolutional, denoising, sparse or variational) and train it on the opened dataset. Losses stream in after every epoch.',
  },
  trials: {
    label: 'Trials',
    hint: 'History, curves, export',
    title: 'Trials',
    intro: 'Compare past runs, inspect their curves and parameters, and export the encoder of a completed trial.',
  },
  notFound: {
    title: 'Nothing at this address',
    text: 'There is no view at {address}. The link may be from a newer version, or mistyped.',
  },
};

export default nav;
