// Every error a user can see, once: its code and its English message. The {name} placeholders are the
// error's parameters, typed from the message itself. The renderer shows these messages (en) and their
// translations (src/renderer/i18n/messages/zh/errors.ts); the CLI and the logs print the English text.
//
// Adding a code: one line here, plus its Chinese message in zh/errors.ts (the typecheck and
// test/renderer/errorMessages.test.ts fail until both languages have it). Messages use vue-i18n syntax:
// only {name} placeholders; no | @ { } otherwise.
export const ERROR_MESSAGES = {
  // The contract and its transports
  UNKNOWN_METHOD: 'Unknown method {method}.',
  INVALID_INPUT: 'Invalid input for {method}: {details}',
  NOT_IMPLEMENTED: '{method} is not available in this build.',
  FORBIDDEN: 'This page may not call Latent Lab.',
  UNAUTHORIZED: 'Missing or wrong access key: open Latent Lab with the address it printed when it started.',
  BAD_JSON: 'The request body is not valid JSON.',
  BAD_REQUEST: 'The request address is malformed.',
  BODY_TOO_LARGE: 'The request is larger than {limit}; it was refused.',
  INTERNAL: 'Internal error: Latent Lab hit a problem it did not expect. The details are in the log file {logFile}; please include it when you report this.',
  NO_BRIDGE: 'This page was not opened by Latent Lab, so it cannot reach the engine. Start the desktop app, or run `latent-lab serve` and open the address it prints.',
  BRIDGE_UNREACHABLE: 'Latent Lab is not responding. Is the app (or `latent-lab serve`) still running?',
  BRIDGE_BAD_RESPONSE: 'Unexpected reply from Latent Lab (HTTP {status}).',
  NO_EVENTSOURCE: 'This environment has no EventSource; live updates are unavailable.',
  IPC_FAILED: 'The call to the Latent Lab main process failed: {details}',
  BAD_REPLY: '{method}: the main process sent an invalid reply.',

  // Folders and paths chosen by the user
  FOLDER_NOT_FOUND: 'The folder {path} does not exist. Check the path, or choose the folder again: it may have been moved or renamed, or be on a drive that is not connected.',
  NOT_A_FOLDER: '{path} is a file, not a folder. Choose the folder that contains your images (one sub-folder per class, or all images directly in it).',
  FOLDER_UNREADABLE: 'Latent Lab cannot open {path} ({reason}). Check that you have permission to read it.',
  PATH_NOT_ABSOLUTE: '{path} is not a full path: give the whole path of the folder, for example {example}.',
  PATH_NOT_CHOSEN: 'The desktop app opens only folders you chose: choose {path} with Browse…, or confirm the typed path when asked.',

  // Datasets
  NO_IMAGES: 'No images were found in {path}. Supported formats: {formats}. Put the images in one sub-folder per class (for example cats/001.png and dogs/001.png), or all directly in the folder for unlabeled data.{skipped}',
  IMAGES_UNDECODABLE: 'None of the images in {path} could be decoded. Supported formats: {formats}. Put the images in one sub-folder per class (for example cats/001.png and dogs/001.png), or all directly in the folder for unlabeled data.{skipped}',
  DATASET_TOO_LARGE: '{path} has {count} images; at {size}x{size} with {channels} channel(s) they need {gb} GB of memory, more than the 2 GB Latent Lab holds at once. Choose a smaller image size or a smaller folder.',
  LOAD_CANCELLED: 'Loading {path} was cancelled.',
  SAMPLE_FOLDER_TAKEN: '{path} exists and is not a Latent Lab sample folder; move it away and try again.',

  // The trial database
  DB_OPEN: 'Cannot open the trial database {path}: {reason}. Check the folder is writable and has free space, or choose another location with --db / LATENT_LAB_DB.',
  DB_MISSING: 'No trial database at {path}: check --db / --data-dir (or LATENT_LAB_DB / LATENT_LAB_HOME), or create one there by starting a study or training a trial.',
  DB_EMPTY: 'The trial database {path} is empty (0 bytes): it was truncated or emptied. Restore it from a backup (latent-lab db backup makes one), or move it away to start a new, empty database there.',
  DB_NOT_SQLITE: 'The trial database {path} is not a SQLite database ({what}). Restore it from a backup (latent-lab db backup makes one), or move it away to start a new, empty database there.',
  DB_TRUNCATED: 'The trial database {path} is truncated: {size} bytes where its header says {pages} pages of {pageSize} bytes. Restore it from a backup (latent-lab db backup makes one), or move it away to start a new, empty database there.',
  DB_DAMAGED: 'The trial database {path} is damaged ({detail}): run latent-lab db check --db "{path}" to list every problem, and restore it from a backup (latent-lab db backup makes one).',
  DB_IS_FOLDER: '{path} is a folder, not a trial database file: pass the database file itself with --db (for example {example}).',
  DB_READONLY: 'The trial database {path} is read-only: make it writable (chmod u+w "{path}"), or copy it somewhere writable and pass that copy with --db.',
  DB_NEWER: 'The trial database was written by a newer Latent Lab (schema {found}, this build knows {known}). Update Latent Lab, or point --db / LATENT_LAB_DB at another file.',
  DB_WRITE: 'Writing to the trial database {path} failed ({reason}). {hint}',
  DB_URL_INVALID: '{url} is not a database address: write it as {example}.',
  DB_SERVER_UNREACHABLE: 'Cannot reach the study database {url}: {reason}. Check that PostgreSQL runs there, that the host, port, database name and user are right, and that this machine may connect (pg_hba.conf).',
  DB_SERVER_REFUSED: 'The study database {url} refused a request: {reason}.',
  DB_SERVER_NEWER: 'The study database was set up by a newer Latent Lab (schema {found}, this build knows {known}). Update Latent Lab on this machine before it joins the study.',
  DATASET_DIFFERS: 'The images at {path} are not the study\'s dataset: {detail}. Give --data the folder that holds the same copy of the images the study was started with.',
  TRIAL_NOT_FOUND: 'Trial {trialId} does not exist.',
  STUDY_EXISTS: 'A study named "{name}" already exists: resume it, or choose another name.',
  STORAGE_BUSY: 'This window is running {what}: let it finish or stop it before switching to another study database.',
  SPEC_STORAGE_ELSEWHERE: 'The spec names the study database {storage}, but this window works with {current}: connect to that database first (Connect to a shared study database), or remove storage from the spec to keep the study here.',
  STUDY_NOT_FOUND: 'No study named "{name}"; known studies: {known}.',
  BACKUP_EXISTS: '{path} exists already: a backup never overwrites a file; choose a new file name.',
  BACKUP_FOLDER_MISSING: 'The folder {path} does not exist: create it first, or choose another place for the backup.',
  BACKUP_CHECK_FAILED: 'The backup copy of {path} does not check out ({detail}); {dest} was not written.',

  // Studies and training
  INVALID_SPEC: 'The study spec is not valid:\n{details}',
  SPEC_FILE_UNREADABLE: 'Latent Lab cannot read the study spec {path} ({reason}).',
  STUDY_RUNNING: 'Study "{name}" is already running.',
  TRAINER_BUSY: 'Trial {trialId} is still training: wait for it or cancel it first.',
  STUDY_MEMORY: 'Study "{name}" cannot fit in memory: its most demanding configuration needs about {need} per trainer (runtime {runtime}, model {model}, optimizer {optimizer}, batch {batch}, images and codes {data}), and {available} are available. Use a smaller imageSize, batchSize or model (hiddenUnits, filters), or close other programs.',
  STUDY_TRAINERS_MEMORY: 'Study "{name}" asks for {requested} trainers, but only {fit} fit in memory: its most demanding configuration needs about {need} per trainer (runtime {runtime}, model {model}, optimizer {optimizer}, batch {batch}, images and codes {data}); {requested} x {need} = {total}, and {available} are available. Use "parallel": {fit} or "auto".',
  TRIAL_MEMORY: 'This trial cannot fit in memory: it needs about {need} (runtime {runtime}, model {model}, optimizer {optimizer}, batch {batch}, images and codes {data}), and {available} are available. Use a smaller imageSize, batchSize or model, or close other programs.',

  REFIT_NOTHING_CHOSEN: 'Study "{name}" has no completed trial yet, so there is no chosen configuration to refit. Run or resume the study first.',
  REFIT_TRIAL_NOT_COMPLETE: 'Trial #{number} of "{name}" is {state}: only a COMPLETE trial has a configuration worth refitting.',
  REFIT_TRIAL_NOT_FOUND: 'Study "{name}" has no trial #{number}; its trials are numbered 0 to {last}.',
  REFIT_BAD_EPOCHS: 'A refit needs 1 to {max} epochs; {epochs} was given.',
  REFIT_CONFIG_UNREADABLE: 'Trial #{number} of "{name}" was written by another version of Latent Lab and its configuration cannot be read here ({reason}), so it cannot be refitted.',

  // Finished trials and exports
  NOT_EXPORTABLE: 'Trial {number} is {state}: only a COMPLETE trial has an encoder to export.',
  NO_LATENTS: 'Trial {trialId} has no stored latent codes: only COMPLETE trials keep them (trials trained before this version do not).',
  NO_RECONSTRUCTIONS: 'Trial {trialId} has no stored reconstructions: only COMPLETE trials keep them.',
  NO_EXPLORER_DATA: 'Trial {trialId} has no stored images, reconstruction errors or probe outcomes for the latent explorer: trials trained before this version do not keep them. Train it again to explore it image by image.',
  POINT_OUT_OF_RANGE: 'Point {index} is not one of the {count} stored codes of trial {trialId}.',
  PROJECTION_NEEDS_METHOD: 'The code has {dims} dimensions: choose PCA, UMAP or t-SNE to plot it.',
  ARTIFACT_MISSING: "The trial's {file} is missing from {folder}; train the trial again to recreate it.",
  ARTIFACTS_GONE: 'Trial {number} of "{study}" has no stored files: {folder} is missing (was the data folder moved or cleaned?).',
  ARTIFACTS_NOT_OWNED: 'Trial {number} of "{study}" cannot use the files in {folder}: {problem}. Train the trial again to get its encoder back.',
  ARTIFACTS_ON_OTHER_MACHINE: 'Trial {number} of "{study}" keeps its files on the machine that trained it ({host}, folder {folder}): they were {size} compressed, over the {cap} a shared study database stores per trial. Export the trial on that machine, or raise LATENT_LAB_SHARED_ARTIFACT_MB (latent-lab worker --artifact-cap) and train it again.',
  ARTIFACT_BLOB_DAMAGED: 'The stored {file} of trial {number} of "{study}" in the study database {url} is damaged ({reason}); nothing was written. Export the trial on the machine that trained it, or train it again.',
  ARTIFACTS_EXIST: 'The artifact folder {folder} exists already, so trial {number} of "{study}" does not write into it (it may belong to a copy of this database used in the same data folder). Move that folder away, or use another --data-dir.',
  DISK_FULL: 'Cannot write {path}: the disk is full; free some space and try again.',
  WRITE_DENIED: 'Cannot write {path}: permission denied; choose a folder you can write to.',
  PATH_BLOCKED: 'Cannot write {path}: a file is in the way of the folder path; choose another folder.',
  WRITE_FAILED: 'Cannot write {path}: {reason}.',
  EXPORT_LEGACY_TRIAL: 'Trial #{number} of {study} was trained by an earlier Latent Lab whose image preprocessing (libvips resampling) cannot be written down for other programs. Train it again (the same parameters give a reproducible encoder) and export the new trial.',
  ARTIFACT_DAMAGED: "The trial's {file} in {folder} is damaged ({reason}); train the trial again.",
  DEST_PSEUDO_FS: '{path} is on a system file system ({kind}) that cannot hold files. Choose a folder on a disk, for example in your home folder.',
  DEST_INSIDE_DATA: "{path} is inside Latent Lab's own data ({data}), which must not be changed by hand. Choose a place outside it, for example in your home or documents folder.",
  DEST_CONTAINS_DATA: "{path} contains Latent Lab's own data ({data}); exporting there could replace it. Choose a new folder.",
  DEST_NOT_EMPTY: '{path} is not empty and does not hold an earlier {what}: Latent Lab only writes into a new or empty folder (or replaces an earlier {what} when you confirm). Choose a new folder.',
  DEST_HOLDS_EARLIER: '{path} already holds an {what}. Confirm to replace it (--force on the command line), or choose a new folder.',
  DEST_FILE_EXISTS: '{path} already exists. Confirm to replace it (--force on the command line), or choose another name.',
  DEST_NOT_A_FILE: '{path} exists and is not a file; choose another name.',
  DEST_TIMEOUT: '{what} did not answer within {seconds} s; the drive may be disconnected or not a normal folder. Choose a folder on a local disk.',
  OUTPUT_EXTENSION: 'Name the output file {expected} (got {name}).',
  BUNDLE_INVALID: '{path} is not a usable Latent Lab encoder bundle: {reason}. Give the folder that latent-lab export wrote, with this version.',
  BUNDLE_PIPELINE: '{path} needs the preprocessing "{pipeline}", which this Latent Lab does not implement (it has {known}).',
  INPUT_NOT_FOUND: '{path} does not exist; give an image folder or image files.',
  NOTHING_TO_ENCODE: 'No image could be read from {inputs}{examples}.',
  ENCODE_CANCELLED: 'Encoding was cancelled.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[];

// Notes: what the engine tells the user that is not a failure of the request (a file skipped in a dataset, the
// training backend and why, an empty class folder). Same rules as the errors above: one line here, its Chinese
// in zh/notes.ts; they travel as { code, params } (CodedText) and the renderer says them in the UI language.
export const NOTE_MESSAGES = {
  // Files and folders a dataset scan or decode leaves out (the dataset report's list)
  FOLDER_SKIPPED: 'folder could not be read ({reason}), skipped',
  FOLDER_SKIPPED_DENIED: 'folder could not be read (permission denied), skipped',
  EMPTY_CLASS_FOLDER: 'class folder with no usable image: the class is left out',
  LINK_BROKEN: 'broken link: its target does not exist',
  LINK_OUTSIDE: 'link leads outside the chosen folder, not followed',
  LINK_NOT_FILE: 'link does not lead to a file or folder, not followed',
  LINK_FAILED: 'link could not be followed ({reason})',
  LINK_DUPLICATE: 'link leads to a folder that is already included, not followed',
  FILE_UNREADABLE: 'file could not be read ({reason})',
  FILE_DENIED: 'file could not be read (permission denied)',
  FILE_VANISHED: 'file could not be read (it disappeared while scanning)',
  FILE_EMPTY: 'empty file (0 bytes): not an image',
  NO_EXTENSION: 'not an image: the file has no extension',
  UNSUPPORTED_EXTENSION: 'not an image: unsupported extension .{ext}',
  NOT_IN_CLASS_FOLDER: 'not in a class folder: this folder has class sub-folders, so images directly inside it are skipped',
  DECODE_UNKNOWN_FORMAT: 'not a readable image (the content does not match any supported format)',
  DECODE_DAMAGED: 'could not decode, the file is damaged or incomplete: {detail}',
  DECODE_FAILED: 'could not decode: {detail}',

  // The training backend in use, then why the faster ones were not (app info, trial attributes)
  BACKEND_NATIVE: 'native TensorFlow (tfjs-node)',
  BACKEND_WASM: 'wasm (WebAssembly, SIMD)',
  BACKEND_WASM_FMA: 'wasm (WebAssembly, SIMD + FMA)',
  BACKEND_CPU: 'cpu (plain JavaScript)',
  BACKEND_CHOSEN_BY_CALLER: 'chosen by the caller',
  BACKEND_CHOSEN_BY_ENV: 'chosen by LATENT_LAB_BACKEND',
  BACKEND_NODE_MISSING: 'tfjs-node is not installed (optional dependency)',
  BACKEND_NODE_NOT_READY: 'tfjs-node loaded but its backend did not initialise',
  BACKEND_NODE_FAILED: 'tfjs-node failed: {reason}',
  BACKEND_WASM_NOT_READY: 'the wasm backend did not initialise',
  BACKEND_WASM_FAILED: 'wasm failed: {reason}',
  BACKEND_UNREPORTED: 'the trainer process exited before reporting its backend',
} as const;

export type NoteCode = keyof typeof NOTE_MESSAGES;
export const NOTE_CODES = Object.keys(NOTE_MESSAGES) as NoteCode[];
/** Any code the renderer can say in the user's language: an error's or a note's. */
export type MessageCode = ErrorCode | NoteCode;
const MESSAGES: Record<MessageCode, string> = { ...ERROR_MESSAGES, ...NOTE_MESSAGES };

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
/** The parameters of one code's message, e.g. { path: string } for FOLDER_NOT_FOUND. */
export type ErrorParams<C extends ErrorCode> = { [K in Placeholders<(typeof ERROR_MESSAGES)[C]>]: string | number };
export type NoteParams<C extends NoteCode> = { [K in Placeholders<(typeof NOTE_MESSAGES)[C]>]: string | number };
/** Parameters as they travel in a ContractError (checked against the code where they are made). */
export type ErrorParamValues = Record<string, string | number>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value);
}

export function isNoteCode(value: unknown): value is NoteCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(NOTE_MESSAGES, value);
}

export function isMessageCode(value: unknown): value is MessageCode {
  return isErrorCode(value) || isNoteCode(value);
}

/** A message as it travels to the renderer: its code and parameters (the renderer translates it). */
export interface CodedText {
  code: MessageCode;
  params: ErrorParamValues;
}

type NoteParamsArg<C extends NoteCode> = [keyof NoteParams<C>] extends [never] ? [params?: NoteParams<C>] : [params: NoteParams<C>];

/** A note with its parameters checked against its message. */
export function note<C extends NoteCode>(code: C, ...[params]: NoteParamsArg<C>): CodedText {
  return { code, params: { ...(params ?? {}) } };
}

/** The English text of an error or a note (CLI, logs, stored English fields). */
export function codedText(m: CodedText): string {
  return formatMessage(MESSAGES[m.code], m.params);
}

/** An AppError as a CodedText, e.g. to list it beside notes. */
export function codedError(err: AppError): CodedText {
  return { code: err.code, params: err.params };
}

/** An error's parameters as received over IPC or HTTP: only string and number values are kept. */
export function errorParamsFrom(value: unknown): ErrorParamValues {
  const out: ErrorParamValues = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** Fills a message's {name} placeholders; a missing parameter stays visible as {name}. */
export function formatMessage(template: string, params: ErrorParamValues): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function errorMessage(code: ErrorCode, params: ErrorParamValues): string {
  return formatMessage(ERROR_MESSAGES[code], params);
}

/** The constructor's parameters argument: required exactly when the message has placeholders. */
export type ParamsArg<C extends ErrorCode> = [keyof ErrorParams<C>] extends [never] ? [params?: ErrorParams<C>] : [params: ErrorParams<C>];

/**
 * A failure the user caused or can act on: a code from the list above and its parameters. Its `message` is
 * the English text (CLI, logs); the renderer translates the code. Anything thrown that is not an AppError
 * is a bug: logged with its stack and shown as INTERNAL.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: ErrorParamValues;

  constructor(code: C, ...[params]: ParamsArg<C>) {
    const values: ErrorParamValues = { ...(params ?? {}) };
    super(errorMessage(code, values));
    this.name = 'AppError';
    this.code = code;
    this.params = values;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError && isErrorCode(value.code);
}
