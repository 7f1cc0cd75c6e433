// The Dataset screen (and the dataset parts the wizard reuses).
const dataset = {
  form: {
    title: 'Image folder',
    subtitle: 'Sub-folders are read as classes, e.g. {example}',
    folder: 'Folder',
    folderPlaceholder: '/path/to/images',
    imageSize: 'Image size (px)',
    imageSizeHelp: 'Images are resized to a square of this size.',
    imageSizeError: 'Use a size from 4 to 256 pixels.',
    colour: 'Colour',
    grayscale: 'Grayscale',
    rgb: 'RGB',
    colourHelp: 'Grayscale is 3× smaller and enough for digits and scans.',
    useSample: 'Use sample dataset',
    sampleHint: 'The sample is 10,000 handwritten digits (MNIST), written to the data folder on first use.',
    openError: 'Could not open the dataset',
    chooseFolder: 'Choose an image folder first.',
    checkOptions: 'Check the dataset options.',
  },
  phases: {
    scan: 'Scanning folder',
    decode: 'Decoding images',
    cache: 'Writing cache',
  },
  summary: {
    stale: 'The folder or image options changed since this dataset was opened. Press {open} to load it with the new options.',
    next: 'Configure model →',
    images: 'images',
    classes: 'classes',
    fromCache: 'from cache',
    decodedNow: 'decoded now',
    perClass: 'Images per class',
    preview: 'Preview',
    previewSubtitle: '{shown} of {total}, as the model sees them',
  },
  classes: {
    unlabeled: 'This folder has no sub-folders, so the images are unlabeled. Put each class in its own sub-folder to get per-class counts and a downstream classifier later.',
    class: 'Class',
    share: 'Share',
    images: 'Images',
  },
  failures: {
    /** After a badge with the count. */
    summary: 'file could not be read and was skipped | files could not be read and were skipped',
  },
  preview: {
    none: 'No preview images were returned.',
  },
  empty: {
    title: 'No dataset open yet',
    text: 'Type the path of a folder of images above and press {open}, or press {sample} to try Latent Lab on handwritten digits.',
  },
};

export default dataset;
