// Development only (`vite` dev server, `?fake`): an in-memory engine that behaves like the real one closely
// enough to work on the UI without the bridge. Never part of a production build.
import type { StorageInfo } from '../../shared/connectionSchemas';
import { AutoencoderParams } from '../../shared/schemas';
import type { EventName, EventPayload, LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { DatasetSummary, EpochMetrics, TrialDetail } from '../../shared/dto';
import { ApiError } from './apiError';
import { codedText, note } from '../../shared/errors';

type Listener = (payload: unknown) => void;

function digitImage(label: string, size: number, seed: number): string {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  const g = c.getContext('2d');
  if (!g) return '';
  g.fillStyle = '#000';
  g.fillRect(0, 0, size, size);
  g.fillStyle = '#fff';
  g.font = `bold ${Math.round(size * 0.8)}px sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.translate(size / 2, size / 2);
  g.rotate(((seed % 7) - 3) * 0.06);
  g.fillText(label, 0, size * 0.05);
  return c.toDataURL('image/png');
}

export function createFakeApi(): LatentLabApi {
  const listeners = new Map<string, Set<Listener>>();
  const trials: TrialDetail[] = [];
  const timers = new Map<number, ReturnType<typeof setInterval>>();

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of listeners.get(event) ?? []) l(payload);
  }
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function openDataset(input: MethodInput<'dataset.open'>): Promise<DatasetSummary> {
    if (!input.path.includes('mnist')) throw ApiError.of('FOLDER_NOT_FOUND', { path: input.path });
    const total = 1000;
    for (let done = 0; done <= total; done += 250) {
      emit('dataset.progress', { path: input.path, phase: 'decode', done, total });
      await wait(120);
    }
    const classes = Array.from({ length: 10 }, (_, i) => ({ name: String(i), count: 90 + ((i * 37) % 25) }));
    return {
      path: input.path,
      imageCount: classes.reduce((s, c) => s + c.count, 0),
      labeled: true,
      classes,
      width: input.imageSize,
      height: input.imageSize,
      channels: input.channels,
      preview: Array.from({ length: 24 }, (_, i) => ({
        file: `${i % 10}/img_${i}.png`,
        label: String(i % 10),
        dataUrl: digitImage(String(i % 10), input.imageSize, i),
      })),
      failures: [
        { file: '3/broken.png', reason: codedText(note('DECODE_UNKNOWN_FORMAT')), ...note('DECODE_UNKNOWN_FORMAT') },
        { file: 'notes.txt', reason: codedText(note('UNSUPPORTED_EXTENSION', { ext: 'txt' })), ...note('UNSUPPORTED_EXTENSION', { ext: 'txt' }) },
      ],
      fromCache: false,
      loadMs: 612,
    };
  }

  function startTraining(input: MethodInput<'training.start'>): { trialId: number } {
    const id = trials.length + 1;
    const t: TrialDetail = {
      id,
      studyId: 1,
      studyName: 'manual',
      number: id,
      state: 'RUNNING',
      failReason: null,
      createdAt: new Date().toISOString(),
      finishedAt: null,
      datasetPath: input.datasetPath,
      params: AutoencoderParams.parse(input.params),
      paramsProblem: null,
      searchParams: {},
      values: [],
      retryOf: null,
      metrics: {},
      confusion: null,
      seed: input.params.seed,
      backend: 'wasm',
      epochsDone: 0,
      bestValLoss: null,
      startedAt: new Date().toISOString(),
      worker: 'fake:1',
      note: '',
      tags: [],
      epochs: [],
      versions: { latentLab: '0.1.0', tfjs: '4.22.0', node: 'v20' },
      artifactDir: `/fake/artifacts/trial-${id}`,
    };
    trials.push(t);
    const batches = 12;
    let epoch = 1;
    let batch = 0;
    setTimeout(() => emit('trial.state', { trialId: id, state: 'RUNNING', reason: null, backend: 'wasm' }), 50);
    const timer = setInterval(() => {
      batch += 1;
      emit('trial.progress', {
        trialId: id,
        epoch,
        epochs: input.params.epochs,
        batch,
        batches,
        samplesPerSec: 4000 + Math.random() * 500,
        etaSeconds: ((input.params.epochs - epoch) * batches + (batches - batch)) * 0.1,
      });
      if (batch < batches) return;
      const valLoss = 0.075 / epoch + 0.012 * Math.random();
      const m: EpochMetrics = {
        epoch,
        trainLoss: 0.07 / epoch + 0.01 * Math.random(),
        valLoss,
        valMse: valLoss,
        seconds: 1.2 + Math.random() * 0.2,
        samplesPerSec: 4100 + Math.random() * 300,
      };
      t.epochs.push(m);
      t.epochsDone = epoch;
      t.bestValLoss = Math.min(t.bestValLoss ?? Infinity, m.valLoss);
      emit('trial.epoch', { trialId: id, metrics: m });
      batch = 0;
      epoch += 1;
      if (epoch > input.params.epochs) {
        clearInterval(timer);
        timers.delete(id);
        t.state = 'COMPLETE';
        t.finishedAt = new Date().toISOString();
        emit('trial.state', { trialId: id, state: 'COMPLETE', reason: null, backend: 'wasm' });
      }
    }, 100);
    timers.set(id, timer);
    return { trialId: id };
  }

  const localStorageInfo = (): StorageInfo => ({ kind: 'local', location: '/home/analyst/.local/share/latent-lab/trials.sqlite', host: null, credentials: 'memory', saved: [], liveUpdates: false });
  const handlers: { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> } = {
    'app.info': () => ({
      appVersion: '0.1.0',
      mode: 'browser',
      dataDir: '/home/analyst/.local/share/latent-lab',
      dbPath: '/home/analyst/.local/share/latent-lab/trials.sqlite',
      backend: 'wasm',
      backendNote: 'wasm (WebAssembly, SIMD): tfjs-node is not installed (optional dependency)',
      backendNotes: [{ code: 'BACKEND_WASM', params: {} }, { code: 'BACKEND_NODE_MISSING', params: {} }],
      tfjsVersion: '4.22.0',
      platform: 'linux-x64',
      canPickFolder: false,
    }),
    'dialog.pickFolder': () => ({ path: null }),
    'dataset.useSample': () => ({ path: '/home/analyst/.local/share/latent-lab/samples/mnist' }),
    'dataset.open': openDataset,
    'training.start': startTraining,
    'training.cancel': ({ trialId }) => {
      const timer = timers.get(trialId);
      const t = trials.find((x) => x.id === trialId);
      if (!timer || !t) return { cancelled: false };
      clearInterval(timer);
      timers.delete(trialId);
      t.state = 'CANCELLED';
      emit('trial.state', { trialId, state: 'CANCELLED', reason: 'Cancelled by the user.', backend: 'wasm' });
      return { cancelled: true };
    },
    'trials.list': () => trials.map(({ epochs: _e, versions: _v, artifactDir: _a, ...s }) => s),
    'trials.get': ({ trialId }) => {
      const t = trials.find((x) => x.id === trialId);
      if (!t) throw ApiError.of('TRIAL_NOT_FOUND', { trialId });
      return structuredClone(t);
    },
    'export.encoder': ({ folder }) => ({
      folder,
      files: ['manifest.json', 'manifest.schema.json', 'encoder.onnx', 'model.json', 'weights.bin', 'features.csv', 'features.npy', 'labels.npy', 'files.txt', 'classes.txt'].map((f) => `${folder}/${f}`),
    }),
    'encode.apply': () => {
      throw ApiError.of('NOT_IMPLEMENTED', { method: 'encode.apply (the fake engine has no encoder)' });
    },
    'estimate.calibrate': () => {
      throw ApiError.of('NOT_IMPLEMENTED', { method: 'estimate.calibrate (the fake engine does not train)' });
    },
    'report.write': ({ study }) => {
      throw ApiError.of('STUDY_NOT_FOUND', { name: study, known: 'none (the fake engine has no studies)' });
    },
    // Studies need the real engine; the fake one lists none and checks nothing.
    'studies.list': () => [],
    'studies.get': ({ name }) => {
      throw ApiError.of('STUDY_NOT_FOUND', { name, known: 'none (the fake engine has no studies)' });
    },
    'study.validate': () => ({ ok: true, errors: [], gridSize: null }),
    'study.start': () => {
      throw ApiError.of('NOT_IMPLEMENTED', { method: 'study.start (the fake engine runs single trials only)' });
    },
    'study.resume': ({ name }) => {
      throw ApiError.of('STUDY_NOT_FOUND', { name, known: 'none (the fake engine has no studies)' });
    },
    'study.cancel': () => ({ cancelled: false }),
    'study.refit': ({ name }) => {
      throw ApiError.of('STUDY_NOT_FOUND', { name, known: 'none (the fake engine has no studies)' });
    },
    'trials.curves': ({ trialIds }) => trials.filter((t) => trialIds.includes(t.id)).map((t) => ({ trialId: t.id, epochs: structuredClone(t.epochs) })),
    'trials.projection': ({ trialId }) => {
      throw ApiError.of('NO_LATENTS', { trialId });
    },
    'trials.reconstructions': ({ trialId }) => {
      throw ApiError.of('NO_RECONSTRUCTIONS', { trialId });
    },
    'trials.annotate': ({ trialId, note, tags }) => {
      const t = trials.find((x) => x.id === trialId);
      if (!t) throw ApiError.of('TRIAL_NOT_FOUND', { trialId });
      t.note = note;
      t.tags = [...new Set(tags)];
      return { note: t.note, tags: t.tags };
    },
    'explorer.points': ({ trialId }) => {
      throw ApiError.of('NO_LATENTS', { trialId });
    },
    'explorer.images': ({ trialId }) => {
      throw ApiError.of('NO_EXPLORER_DATA', { trialId });
    },
    'explorer.neighbours': ({ trialId }) => {
      throw ApiError.of('NO_LATENTS', { trialId });
    },
    // The fake engine has only its local database.
    'storage.current': localStorageInfo,
    'storage.connect': () => {
      throw ApiError.of('NOT_IMPLEMENTED', { method: 'storage.connect' });
    },
    'storage.disconnect': localStorageInfo,
  };

  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      await wait(60);
      const h = handlers[method] as (i: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
      return h(input);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}
