// The one typed contract between the renderer and the main process (IPC under Electron, HTTP + SSE in
// browser mode). Preload, main handlers, bridge and renderer client are all typed from this map.
import { z } from 'zod';
import * as S from './schemas';
import { StudySpec } from './study/spec';
import * as X from './explorerSchemas';
import * as C from './connectionSchemas';
import type { EventNameList, MethodNameList } from './names';
import type { ErrorCode, ErrorParamValues } from './errors';

export const methods = {
  'app.info': { input: S.Empty, output: S.AppInfo },
  'dialog.pickFolder': { input: S.Empty, output: z.object({ path: z.string().nullable() }) },
  'dataset.useSample': { input: S.Empty, output: z.object({ path: z.string() }) },
  'dataset.open': { input: S.DatasetOptions, output: S.DatasetSummary },
  'training.start': { input: S.TrainRequest, output: z.object({ trialId: z.number().int() }) },
  'training.cancel': { input: S.TrialIdInput, output: z.object({ cancelled: z.boolean() }) },
  'trials.list': { input: S.Empty, output: z.array(S.TrialSummary) },
  'trials.get': { input: S.TrialIdInput, output: S.TrialDetail },
  'export.encoder': { input: S.ExportRequest, output: S.ExportResult },
  /** An exported encoder applied to a folder of images (progress: encode.progress). */
  'encode.apply': { input: S.EncodeRequest, output: S.EncodeResult },
  /** A study's self-contained HTML report and trials.csv, written into a folder. */
  'report.write': { input: S.ReportRequest, output: S.ReportResult },
  /** A few training batches of each architecture's default model on random pixels, in a trainer process. */
  'estimate.calibrate': { input: S.CalibrateRequest, output: S.CalibrateResult },
  'studies.list': { input: S.Empty, output: z.array(S.StudySummary) },
  'studies.get': { input: S.StudyNameInput, output: S.StudyDetail },
  /** The engine's checks of a well-formed spec (parameter domains, dataset folder, grid size), one line each. */
  'study.validate': { input: z.object({ spec: StudySpec }), output: S.StudyValidation },
  'study.start': { input: z.object({ spec: StudySpec }), output: z.object({ name: z.string() }) },
  'study.resume': { input: S.StudyNameInput, output: z.object({ name: z.string() }) },
  'study.cancel': { input: S.StudyCancelInput, output: z.object({ cancelled: z.boolean() }) },
  /**
   * Trains the study's chosen configuration again on its training + validation images, in the trainer that
   * runs hand-configured trials (its events are trial.*); the refit is a trial of the Refits study, listed in
   * studies.get's refits with its verdict on test. Export it like any trial.
   */
  'study.refit': { input: S.RefitRequest, output: z.object({ trialId: z.number().int() }) },
  /** 2-D/3-D view of a finished trial's validation codes (stored with the trial). */
  'trials.projection': { input: S.ProjectionRequest, output: S.Projection },
  /** The last reconstructions of a finished trial's fixed validation sample. */
  'trials.reconstructions': { input: S.TrialIdInput, output: S.TrialReconstructions },
  /** Per-epoch metrics of up to 5,000 trials at once; unknown ids are left out. */
  'trials.curves': { input: S.TrialCurvesInput, output: S.TrialCurves },
  /** Replaces a trial's note and tags (duplicate tags are dropped); returns what is stored. */
  'trials.annotate': { input: S.TrialAnnotateInput, output: S.TrialAnnotation },
  /** The latent explorer: a finished trial's stored codes in 2-D with label, reconstruction error and probe outcome. */
  'explorer.points': { input: X.ExplorerPointsRequest, output: X.ExplorerPoints },
  /** Thumbnails and reconstructions of some of those points. */
  'explorer.images': { input: X.ExplorerImagesRequest, output: X.ExplorerImages },
  /** A point's nearest codes (Euclidean, in code space). */
  'explorer.neighbours': { input: X.ExplorerNeighboursRequest, output: X.ExplorerNeighbours },
  /** The study database in use (local file or shared server) and the saved connections. */
  'storage.current': { input: S.Empty, output: C.StorageInfo },
  /** Works with a shared study database from now on (refused while this window runs a study or trial). */
  'storage.connect': { input: C.ConnectRequest, output: C.StorageInfo },
  /** Back to the local database. */
  'storage.disconnect': { input: S.Empty, output: C.StorageInfo },
} as const;

export const events = {
  'dataset.progress': S.DatasetProgress,
  'trial.progress': S.TrialProgress,
  'trial.epoch': S.TrialEpoch,
  'trial.state': S.TrialStateEvent,
  'study.progress': S.StudyProgress,
  'trial.reconstructions': S.TrialReconstructions,
  'trial.latents': S.TrialLatents,
  'encode.progress': S.EncodeProgress,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export { isMethodName, isEventName, METHOD_NAMES, EVENT_NAMES, IPC_INVOKE_CHANNEL, IPC_EVENT_CHANNEL } from './names';

// Compile-time proof that names.ts lists exactly the methods and events of the maps above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: [Same<MethodName, MethodNameList>, Same<EventName, EventNameList>] = [true, true];
void namesMatch;

/**
 * A failed call: a code from src/shared/errors.ts with its parameters (the renderer shows the message of
 * the code in the user's language) and the English `message` (logs, tests, older clients).
 */
export interface ContractError {
  code: ErrorCode;
  params: ErrorParamValues;
  message: string;
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** What the renderer sees, whether over Electron IPC (preload) or the HTTP bridge. */
export interface LatentLabApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * What the Electron preload exposes as window.latentLab. invoke resolves with the Envelope instead of
 * throwing, because contextBridge keeps only an Error's message and the renderer needs the code too.
 */
export interface PreloadApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The main-process side: one async handler per method, receiving validated input. */
export type Handlers = {
  [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>>;
};
