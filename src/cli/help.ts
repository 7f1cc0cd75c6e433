import { DEFAULT_PARAMS as d } from '../shared/dto';
import { EXIT_CODES_HELP } from './exitCodes';
import { MAX_REFIT_EPOCHS } from '../shared/schemas';

export const MAIN_HELP = `latent-lab: tune autoencoders for feature extraction, from the command line.

Usage: latent-lab <command> [flags]

Commands:
  train      Train one autoencoder (dense, conv, denoising, sparse or variational) on an image folder
             (see: latent-lab train --help)
  trials     List stored trials
  trial <id> Show one trial: params, versions, per-epoch metrics
  export     Export a trial's encoder bundle into a new or empty folder:
             latent-lab export --study <name> (--trial <number> | --best) --out <folder> [--force]
             (or --trial <id> as latent-lab trials lists; --force replaces an earlier bundle, nothing else)
             The bundle: manifest.json (+ manifest.schema.json), encoder.onnx, model.json + weights.bin,
             features.csv, features.npy, labels.npy, files.txt, classes.txt
  encode     Apply an exported encoder to images: latent-lab encode --model <bundle> --data <folder or file>
             [--data ...] --out <codes.csv | codes.npy> [--force] (NPY also writes codes.files.txt)
  report     A study report to share: latent-lab report <study> --out report.html [--force]
             (one self-contained HTML file with its charts, and report.trials.csv beside it)
  search     Run a hyperparameter study: latent-lab search --spec study.json [--parallel N] [--dry-run]
             The spec is checked in full first (unknown keys, parameter names and values, grid size, the
             dataset folder); an invalid one exits 2 with one line per problem and writes nothing.
             (--dry-run: the same checks, then the grid size and a duration estimate; runs nothing)
             Relative dataset.path / dataset.targetsCsv in the spec count from the spec file's folder.
  resume     Continue a study where it stopped: latent-lab resume <study> [--parallel N]
  worker     Join a study kept in a shared database and train its trials on this machine:
             latent-lab worker --storage postgresql://user@host/db --study <name> [--parallel N] [--data <folder>]
             (search, resume, studies, show, tradeoff, export and report take --storage <url> too;
             see latent-lab worker --help)
  refit      Train a study's chosen configuration again on its training + validation images, for export:
             latent-lab refit <study> [--trial <number>] [--epochs <n>] [--out <folder>] (see refit --help)
  studies    List studies with trial counts and best values
  show       Show a study: trials table, best trial, state counts: latent-lab show <study>
  tradeoff   Per latent size, the best reconstruction error and downstream score: latent-lab tradeoff <study>
  db         The trial database itself: latent-lab db check (integrity, one line per problem),
             latent-lab db backup <file> (online copy, safe while a study runs; never overwrites)
  serve      Serve the app in browser mode on 127.0.0.1 (what npm start does without Electron)
  help       Show this help

Common flags (relative paths are relative to the working folder):
  --db <file>          Trial database (default <data-dir>/trials.sqlite; env LATENT_LAB_DB). Only train,
                       search and serve create one, where no file exists, and say so; a file that is not a
                       usable trial database (empty, truncated, damaged, read-only) is an error.
  --data-dir <folder>  Data folder: database, caches, artifacts, sample dataset (env LATENT_LAB_HOME)
  Paths given as flags count from the working directory.

Ctrl+C: train cancels its trial; search and resume pause (running trials finish, no new one starts), and a
second Ctrl+C cancels the running trials.

${EXIT_CODES_HELP}
`;

export const TRAIN_HELP = `Usage: latent-lab train (--data <folder> | --sample | --like <trial>) [flags]

Trains one autoencoder (dense unless --arch says otherwise) and stores the trial (params, per-epoch
metrics, state, seed, backend, versions) in the trial database. Prints one line per epoch and a progress bar.

Data:
  --data <folder>            Image folder: one sub-folder per class, or a flat folder (unlabeled)
  --sample                   Use the bundled MNIST digits (written once into the data folder)
  --like <trial>             Start from a stored trial (its id, see latent-lab trials): its settings and,
                             without --data/--sample, its images; the flags given change them
  --image-size <n>           Resize images to n x n pixels (default ${d.imageSize})
  --rgb                      Keep colour (3 channels); default is grayscale
  --val-fraction <f>         Held-out validation fraction, stratified by class (default ${d.valFraction})

Model:
  --arch <name>              dense | conv | denoising | sparse | variational (default ${d.architecture})
  --latent <n>               Size of the bottleneck code (default ${d.latentSize})
  --hidden <w1,w2,...>       Hidden layer widths of the encoder, mirrored in the decoder (default ${d.hiddenUnits.join(',')});
                             every architecture but conv
  --activation <name>        relu | leakyRelu | elu | sigmoid | tanh | linear (default ${d.activation})
  --output-activation <name> sigmoid (pixels in [0,1]) | linear (default ${d.outputActivation})

Training:
  --optimizer <name>         adam | rmsprop | adagrad | sgd (default ${d.optimizer})
  --lr <x>                   Learning rate (default ${d.learningRate})
  --batch-size <n>           Batch size (default ${d.batchSize})
  --epochs <n>               Epochs (default ${d.epochs})
  --seed <n>                 Seed for the split, initial weights and shuffles (default ${d.seed})
  --backend <name>           Start the backend chain at tensorflow | wasm | cpu (env LATENT_LAB_BACKEND)

Any other hyperparameter:
  --set <name>=<value>       Repeatable. The names are a study spec's search-space names; values are
                             numbers, true | false, names, or lists as 32,64 or [32,64], checked as a study
                             checks them. Who reads which name, with its default:
    every architecture:      dropout (${d.dropout}), codeDropout (${d.codeDropout}), weightDecay (${d.weightDecay}), batchNorm (${d.batchNorm}),
                             loss (mse | bce, default ${d.loss}), earlyStoppingPatience (epochs, ${d.earlyStoppingPatience} = off)
    with early stopping on:  earlyStoppingMinDelta (${d.earlyStoppingMinDelta}), restoreBestWeights (${d.restoreBestWeights})
    --arch conv:             filters (per strided conv block, ${d.filters.join(',')}), kernelSize (${d.kernelSize}), convNoise (${d.convNoise})
    --arch denoising:        noiseType (gaussian | masking, default ${d.noiseType}), noiseLevel (${d.noiseLevel})
    --arch sparse:           l1 (${d.l1})
    --arch variational:      klBeta (${d.klBeta})
    --optimizer sgd:         momentum (${d.momentum}), nesterov (${d.nesterov})
  The flags' fields work too (--set latentSize=32 is --latent 32): architecture, latentSize, hiddenUnits,
  activation, outputActivation, optimizer, learningRate, batchSize, epochs. Refused, with nothing run: an
  unknown name, imageSize / channels / valFraction / seed (they have their flags), a name given twice with
  different values, and a parameter the chosen architecture or optimizer does not read (e.g. l1 without
  --arch sparse, --hidden with --arch conv, momentum without --optimizer sgd).

Output:
  --export <folder>          After training, export the encoder bundle into this new or empty folder
                             (see latent-lab --help: export)
  --db <file>, --data-dir <folder>   As for every command

Examples:
  latent-lab train --sample --latent 16 --hidden 128,64 --epochs 5 --export ./encoder
  latent-lab train --sample --arch conv --set filters=32,64 --set batchNorm=true --latent 32 --epochs 5
  latent-lab train --like 3 --epochs 30          # trial 3 again, longer
`;

export const REFIT_HELP = `Usage: latent-lab refit <study> [--trial <number>] [--epochs <n>] [--out <folder> [--force]]

Once a study has chosen its configuration, the validation images have done their job (picking it) and are
worth more as training data. refit trains the chosen configuration again on the training + validation
images, then scores it on the study's test split, which no trial and no selection has seen: the verdict says
whether its code beats raw pixels and PCA at the same size (95% bootstrap intervals, McNemar's paired test).
The refit is what you export. It is stored as a trial of its own study, "Refits", so the search's sampler,
budget and best trial never see it; the study keeps every trial as it was.

  --trial <number>   The study trial to refit (as latent-lab show lists it); default: the best trial
  --epochs <n>       Epochs of the refit (1-${MAX_REFIT_EPOCHS}); default: the epochs the chosen trial trained. More
                     images per epoch and no early stopping (no held-out images are left to stop on).
  --out <folder>     Export the refit's encoder bundle into this new or empty folder when it is done
                     (--force replaces an earlier bundle there, nothing else)
  --db <file>, --data-dir <folder>, --storage <url>   As for every command

The probe is fitted on the training images' codes, like the baselines it is compared with, so the verdict
compares like with like. Ctrl+C cancels the refit (exit 130); a failed refit exits 1.

Example:
  latent-lab refit fashion --epochs 40 --out ./encoder
`;
