// Messages between the supervisor (main process or Node server) and a trainer process. Plain JSON so the
// same shapes travel over Electron's utilityProcess port and Node's child_process IPC.
import type {
  DatasetProgress,
  TrainRequest,
  TrialEpoch,
  TrialProgress,
  TrialLatents,
  TrialReconstructions,
  TrialState,
  TrialStateEvent,
} from '../../shared/dto';
import type { FileFailure } from '../data/types';
import type { ApplyProgress } from '../export/applyEncoder';
import type { BaselinesOutcome } from './studyBaselines';
import type { CodedText } from '../../shared/errors';

/** "Apply encoder to a folder", run in a trainer so the app's own process stays free (export/applyEncoder.ts). */
export interface EncodeJob {
  bundle: string;
  inputs: string[];
  out: string;
  force: boolean;
  protectedPaths: string[];
  batchRows?: number;
}
/** How an encode job ended: what was written, or the error (an AppError's code and parameters when it was one). */
export type EncodeOutcome =
  | { ok: true; files: string[]; images: number; failures: FileFailure[]; codeSize: number; study: string; trialNumber: number }
  | { ok: false; code: string | null; params: Record<string, string | number>; message: string };

/** A throughput measurement per architecture (training/calibrate.ts), for the wizard's time estimate. */
export interface CalibrateJob {
  architectures: Array<TrainRequest['params']['architecture']>;
  imageSize: number;
  channels: TrainRequest['params']['channels'];
}
export type CalibrateOutcome =
  | { ok: true; backend: string; samplesPerSec: number[] }
  | { ok: false; message: string };

export type ToTrainer =
  | { type: 'train'; trialId: number; request: TrainRequest; dbPath: string; dataDir: string }
  /** datasetPath: where this machine keeps the study's images, when not at the spec's path (a worker's --data). */
  | { type: 'study'; studyName: string; dbPath: string; dataDir: string; deadline?: number; worker: number; datasetPath?: string }
  /** Compute (or reuse) the study's baselines, then report baselines.done. */
  | { type: 'baselines'; studyName: string; dbPath: string; dataDir: string; datasetPath?: string }
  | { type: 'cancel'; trialId: number }
  /** Threads the wasm kernels may use from the next kernel on (the share of the cores this trainer has). */
  | { type: 'threads'; threads: number }
  | { type: 'cancelStudy' }
  /** Finish the running trial, then start no new one. */
  | { type: 'pauseStudy' }
  /** Apply an exported encoder to images; reports encode.step, then encode.done. */
  | { type: 'encode'; job: EncodeJob }
  | { type: 'calibrate'; job: CalibrateJob }
  | { type: 'shutdown' };

export type FromTrainer =
  | { type: 'ready'; backend: string; backendNote: string; backendNotes: CodedText[]; tfjsVersion: string }
  | { type: 'encode.step'; payload: ApplyProgress }
  | { type: 'encode.done'; outcome: EncodeOutcome }
  | { type: 'calibrate.done'; outcome: CalibrateOutcome }
  | { type: 'dataset.progress'; payload: DatasetProgress }
  | { type: 'trial.progress'; payload: TrialProgress }
  | { type: 'trial.epoch'; payload: TrialEpoch }
  | { type: 'trial.state'; payload: TrialStateEvent }
  | { type: 'trial.reconstructions'; payload: TrialReconstructions }
  | { type: 'trial.latents'; payload: TrialLatents }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'study.trialStarted'; payload: { studyName: string; trialId: number; number: number; worker: number } }
  | { type: 'study.trialFinished'; payload: { studyName: string; trialId: number; number: number; state: TrialState; worker: number } }
  | { type: 'study.workerDone'; payload: { studyName: string; worker: number; stop: string; error: string | null } }
  /**
   * The worker has no trial to run for now (the budget is used or the space exhausted while other workers'
   * trials still run): its share of the cores can go to them until it starts a trial again (study.trialStarted).
   */
  | { type: 'study.workerWaiting'; payload: { studyName: string; worker: number } }
  /** From the first worker: the baselines are worth a process of their own (see baselinesPlan). */
  | { type: 'baselines.wanted'; payload: { studyName: string } }
  /** message: what to tell the user (ready in N s, reused, or why not), or null. */
  | { type: 'baselines.done'; payload: { studyName: string; outcome: BaselinesOutcome | null; error: string | null; message: string | null } };

/** One live trainer process, whatever spawned it (utilityProcess under Electron, fork under Node). */
export interface TrainerChannel {
  send(message: ToTrainer): void;
  onMessage(listener: (message: FromTrainer) => void): void;
  onExit(listener: (info: { code: number | null; signal: string | null }) => void): void;
  kill(): void;
}

export type SpawnTrainer = () => TrainerChannel;
