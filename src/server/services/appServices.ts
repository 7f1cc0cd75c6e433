// The services behind every contract method, shared by the Electron main process and the HTTP bridge.
import fs from 'node:fs';
import { isEventName, type Handlers } from '../../shared/contract';
import type { DatasetSummary, EpochMetrics, TrialSummary } from '../../shared/dto';
import { APP_VERSION } from '../../shared/version';
import { loadDataset } from '../../core/data/load';
import { previewImages } from '../../core/data/preview';
import { ensureSampleDataset } from '../../core/data/sample';
import { DatasetError } from '../../core/data/types';
import { AppError } from '../../shared/errors';
import { createErrorLog } from '../errorLog';
import { createPathPolicy } from '../pathPolicy';
import { checkTrialFits } from '../../core/study/trainerMemory';
import { createManualTrial } from '../../core/trainer/manualTrial';
import { createRefitTrial } from '../../core/trainer/refit';
import type { TrialRecord } from '../../core/storage/types';
import { TrainerSupervisor } from '../../core/trainer/supervisor';
import type { AnyEvent, AppServices, AppServicesOptions, EventListener } from './types';
import { toTrialDetail, toTrialSummary, trialEpochs } from '../../core/study/trialDto';
import { createStudyService } from './studyService';
import { createExportHandlers } from './exportService';
import { createCalibrationHandlers } from './calibrationService';
import { projectTrial } from './projection';
import { trialReconstructions } from '../../core/trainer/storedReconstructions';
import { explorerImages, explorerNeighbours, explorerPoints } from './explorer';
import { openAppStorage } from './appStorage';
import { createConnectionService } from './connectionService';
import { switchableStorage } from './switchableStorage';
import { memoryCredentials } from '../credentials';
import { writeTrialAttributes } from '../../core/study/attributes';
import { configurationProblems } from '../../shared/study/autoencoder';

const DATASET_PROGRESS_MS = 100;

export async function createAppServices(opts: AppServicesOptions): Promise<AppServices> {
  const { locations } = opts;
  fs.mkdirSync(locations.dataDir, { recursive: true });
  const log = opts.log ?? createErrorLog(locations.dataDir);
  const opened = await openAppStorage(locations, {
    info: (line) => console.log(`[storage] ${line}`),
    warn: (line) => log.warn('storage', line),
  });
  // Every service holds this one storage; the user may switch it to a shared study database (connectionService).
  const switchable = switchableStorage(opened.storage);
  const { storage } = switchable;
  const listeners = new Set<EventListener>();
  const emit = (e: AnyEvent): void => {
    for (const l of listeners) l(e);
  };
  const supervisor = new TrainerSupervisor(opts.spawnTrainer, storage, locations, (m) => {
    if (isEventName(m.type)) emit({ event: m.type, payload: m.payload } as AnyEvent);
  }, (level, message) => (level === 'info' ? console.log(`[trainer] ${message}`) : log.warn('trainer', message)));
  // Warm the trainer up now: its backend is shown in the status bar, and the first trial starts faster.
  const backendReady = supervisor.backend();

  const mustGetTrial = async (trialId: number): Promise<TrialRecord> => {
    const t = await storage.getTrial(trialId);
    if (!t) throw new AppError('TRIAL_NOT_FOUND', { trialId });
    return t;
  };

  // Paths from the page: absolute or ~ only; in the desktop app also picked or confirmed by the user.
  const paths = createPathPolicy({ trusted: [locations.dataDir], confirm: opts.confirmPath });
  const studies = createStudyService({ storage, locations, spawnTrainer: opts.spawnTrainer, emit, paths, warn: (line) => log.warn('storage', line) });

  const connection = createConnectionService({
    switchable,
    credentials: opts.credentials ?? memoryCredentials(),
    busy: () => {
      const study = studies.runningHere();
      if (study) return `the study "${study}"`;
      return supervisor.runningTrialId !== null ? `trial ${supervisor.runningTrialId}` : null;
    },
    onChange: (change) => studies.remoteChange(change),
    warn: (line) => log.warn('storage', line),
  });

  const handlers: Handlers = {
    ...studies.handlers,
    ...connection.handlers,
    ...createExportHandlers({ storage, locations, paths, emit, spawnTrainer: opts.spawnTrainer }),
    ...createCalibrationHandlers({ spawnTrainer: opts.spawnTrainer }),
    'app.info': async () => {
      const b = await backendReady;
      return {
        appVersion: APP_VERSION,
        mode: opts.mode,
        dataDir: locations.dataDir,
        dbPath: locations.dbPath,
        backend: b.backend,
        backendNote: b.backendNote,
        backendNotes: b.backendNotes,
        tfjsVersion: b.tfjsVersion,
        platform: `${process.platform}-${process.arch}`,
        canPickFolder: Boolean(opts.pickFolder),
      };
    },
    'dialog.pickFolder': async () => {
      const picked = opts.pickFolder ? await opts.pickFolder() : null;
      if (picked) paths.markChosen(picked);
      return { path: picked };
    },
    'dataset.useSample': async () => {
      const sample = await ensureSampleDataset(locations.sampleDir);
      return { path: sample.path };
    },
    'dataset.open': async (input) => {
      const folder = await paths.fromPage(input.path, 'dataset');
      const t0 = performance.now();
      let last = 0;
      const ds = await loadDataset(folder, {
        size: input.imageSize,
        channels: input.channels,
        cacheDir: locations.cacheDir,
        onProgress: (p) => {
          const t = performance.now();
          if (p.done !== p.total && t - last < DATASET_PROGRESS_MS) return;
          last = t;
          emit({ event: 'dataset.progress', payload: { path: input.path, ...p } });
        },
      });
      const counts = ds.classes.map(() => 0);
      for (const l of ds.labels) if (l >= 0) counts[l]++;
      const summary: DatasetSummary = {
        path: ds.root,
        imageCount: ds.files.length,
        labeled: ds.classes.length > 0,
        classes: ds.classes.map((name, i) => ({ name, count: counts[i] })),
        width: ds.width,
        height: ds.height,
        channels: ds.channels,
        preview: previewImages(ds, 24),
        failures: ds.failures,
        fromCache: ds.fromCache,
        loadMs: performance.now() - t0,
      };
      return summary;
    },
    'training.start': async (request) => {
      const input = { ...request, datasetPath: await paths.fromPage(request.datasetPath, 'dataset') };
      if (!fs.existsSync(input.datasetPath)) {
        throw new DatasetError('FOLDER_NOT_FOUND', { path: input.datasetPath });
      }
      if (supervisor.runningTrialId !== null) {
        throw new AppError('TRAINER_BUSY', { trialId: supervisor.runningTrialId });
      }
      // Before the trial is stored: a configuration the engine cannot build, or that cannot fit in memory, is
      // refused with the reason (the form says the same at its fields; a client of the contract may not).
      const problems = configurationProblems(input.params);
      if (problems.length) throw new AppError('INVALID_INPUT', { method: 'training.start', details: problems.map((p) => `params.${p.field}: ${p.message}`).join('; ') });
      checkTrialFits(input.params);
      const trialId = await createManualTrial(storage, input);
      supervisor.start(trialId, input);
      emit({ event: 'trial.state', payload: { trialId, state: 'WAITING', reason: null, backend: null } });
      return { trialId };
    },
    'study.refit': async ({ name, trialNumber, epochs }) => {
      if (studies.runningHere() === name) throw new AppError('STUDY_RUNNING', { name });
      if (supervisor.runningTrialId !== null) throw new AppError('TRAINER_BUSY', { trialId: supervisor.runningTrialId });
      // The study, trial and epochs are checked before anything is stored; so is the memory it needs.
      const refit = await createRefitTrial(storage, name, { trialNumber, epochs }, locations, (params) => checkTrialFits(params));
      supervisor.start(refit.trialId, refit.request);
      emit({ event: 'trial.state', payload: { trialId: refit.trialId, state: 'WAITING', reason: null, backend: null } });
      return { trialId: refit.trialId };
    },
    'training.cancel': async ({ trialId }) => ({ cancelled: supervisor.cancel(trialId) }),
    'trials.list': async () => {
      const out: TrialSummary[] = [];
      for (const t of (await storage.listTrials()).reverse()) out.push(await toTrialSummary(storage, t));
      return out;
    },
    'trials.get': async ({ trialId }) => toTrialDetail(storage, await mustGetTrial(trialId)),
    'trials.curves': async ({ trialIds }) => {
      const out: Array<{ trialId: number; epochs: EpochMetrics[] }> = [];
      for (const trialId of trialIds) if (await storage.getTrial(trialId)) out.push({ trialId, epochs: await trialEpochs(storage, trialId) });
      return out;
    },
    'trials.projection': async ({ trialId, method, dims }) => {
      const t = await mustGetTrial(trialId);
      return projectTrial(storage, t, locations.artifactsDir, method, dims);
    },
    'trials.reconstructions': async ({ trialId }) => trialReconstructions(storage, (await mustGetTrial(trialId)), locations.artifactsDir),
    'trials.annotate': async ({ trialId, note, tags }) => {
      await mustGetTrial(trialId);
      const stored = { note, tags: [...new Set(tags)] };
      await writeTrialAttributes(storage, trialId, stored);
      return stored;
    },
    'explorer.points': async ({ trialId, method }) => explorerPoints(storage, (await mustGetTrial(trialId)), locations.artifactsDir, method),
    'explorer.images': async ({ trialId, indices }) => explorerImages(storage, (await mustGetTrial(trialId)), locations.artifactsDir, indices),
    'explorer.neighbours': async ({ trialId, index, k }) => explorerNeighbours(storage, (await mustGetTrial(trialId)), locations.artifactsDir, index, k),
  };

  return {
    handlers,
    log,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      listeners.clear();
      studies.dispose();
      supervisor.dispose();
      await connection.dispose();
      await storage.close();
    },
  };
}
