// Supervises one trainer process for the main process (or the browser-mode server): starts trials, forwards
// throttled events, and if the process dies marks the running trial FAILED with the reason and respawns
// on the next start. The app itself keeps running.
import type { TrainRequest, TrialProgress } from '../../shared/dto';
import { AppError, codedText, note, type CodedText } from '../../shared/errors';
import { isFinishedTrial } from '../../shared/trialStates';
import type { DataLocations } from '../paths';
import { coreCount } from '../study/parallel';
import type { Storage } from '../storage/types';
import type { FromTrainer, SpawnTrainer, TrainerChannel } from './protocol';

export type SupervisorEvent = Exclude<FromTrainer, { type: 'ready' } | { type: 'log' } | { type: 'encode.step' } | { type: 'encode.done' } | { type: 'calibrate.done' }>;

export interface BackendReport {
  backend: string;
  backendNote: string;
  backendNotes: CodedText[];
  tfjsVersion: string;
}


const PROGRESS_INTERVAL_MS = 200;

export class TrainerSupervisor {
  private channel: TrainerChannel | null = null;
  private ready: Promise<BackendReport> | null = null;
  private current: number | null = null;
  private lastProgress = new Map<number, number>();

  constructor(
    private readonly spawn: SpawnTrainer,
    private readonly storage: Storage,
    private readonly locations: DataLocations,
    private readonly emit: (e: SupervisorEvent) => void,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void = () => {},
  ) {}

  get runningTrialId(): number | null {
    return this.current;
  }

  /** Starts the trainer process if needed; resolves with the backend it selected. */
  backend(): Promise<BackendReport> {
    this.ensureChannel();
    return this.ready as Promise<BackendReport>;
  }

  start(trialId: number, request: TrainRequest): void {
    if (this.current !== null) {
      throw new AppError('TRAINER_BUSY', { trialId: this.current });
    }
    const channel = this.ensureChannel();
    this.current = trialId;
    // A hand-started trial has the machine to itself: every core.
    channel.send({ type: 'threads', threads: coreCount() });
    channel.send({ type: 'train', trialId, request, dbPath: this.storage.path, dataDir: this.locations.dataDir });
  }

  cancel(trialId: number): boolean {
    if (this.current !== trialId || !this.channel) return false;
    this.channel.send({ type: 'cancel', trialId });
    return true;
  }

  dispose(): void {
    const channel = this.channel;
    this.channel = null;
    if (!channel) return;
    try {
      channel.send({ type: 'shutdown' });
    } catch {
      // Already gone.
    }
    setTimeout(() => channel.kill(), 2_000).unref();
  }

  private ensureChannel(): TrainerChannel {
    if (this.channel) return this.channel;
    const channel = this.spawn();
    this.channel = channel;
    this.ready = new Promise<BackendReport>((resolve) => {
      channel.onMessage((m) => {
        if (m.type === 'ready') resolve({ backend: m.backend, backendNote: m.backendNote, backendNotes: m.backendNotes, tfjsVersion: m.tfjsVersion });
        else this.onMessage(m);
      });
      channel.onExit((info) => {
        const gone = note('BACKEND_UNREPORTED');
        resolve({ backend: 'unknown', backendNote: codedText(gone), backendNotes: [gone], tfjsVersion: 'unknown' });
        this.onExit(channel, info);
      });
    });
    return channel;
  }

  private onMessage(m: Exclude<FromTrainer, { type: 'ready' }>): void {
    if (m.type === 'log') return this.log(m.level, m.message);
    if (m.type === 'encode.step' || m.type === 'encode.done' || m.type === 'calibrate.done') return; // encode and calibrate jobs have trainers of their own
    if (m.type === 'trial.progress' && !this.shouldForward(m.payload)) return;
    if (m.type === 'trial.state' && isFinishedTrial(m.payload.state)) {
      if (this.current === m.payload.trialId) this.current = null;
      this.lastProgress.delete(m.payload.trialId);
    }
    this.emit(m);
  }

  /** At most one progress event per interval per trial, plus the last batch of each epoch. */
  private shouldForward(p: TrialProgress): boolean {
    const t = Date.now();
    const last = this.lastProgress.get(p.trialId) ?? 0;
    if (p.batch === p.batches || t - last >= PROGRESS_INTERVAL_MS) {
      this.lastProgress.set(p.trialId, t);
      return true;
    }
    return false;
  }

  private onExit(channel: TrainerChannel, info: { code: number | null; signal: string | null }): void {
    if (this.channel === channel) this.channel = null;
    const trialId = this.current;
    this.current = null;
    if (trialId === null) return;
    const how = info.signal ? `was killed (${info.signal})` : `exited with code ${info.code}`;
    const reason =
      `the trainer process ${how} during training, possibly out of memory: ` +
      'try a smaller batch size, image size or model; the app restarts the trainer for the next trial';
    // The failure is stored before anyone hears of it, so a listener that reads the trial sees it FAILED.
    void (async () => {
      try {
        const trial = await this.storage.getTrial(trialId);
        if (trial && (trial.state === 'RUNNING' || trial.state === 'WAITING')) await this.storage.setTrialState(trialId, 'FAILED', reason);
      } catch (err) {
        this.log('error', `Could not record the failure of trial ${trialId}: ${String(err)}`);
      }
      this.emit({ type: 'trial.state', payload: { trialId, state: 'FAILED', reason, backend: null } });
    })();
  }
}
