// The contract's method and event names and IPC channels, without zod, so the sandboxed preload stays small.
// contract.ts checks at compile time that these lists match its schema maps exactly.
export const METHOD_NAMES = [
  'app.info',
  'dialog.pickFolder',
  'dataset.useSample',
  'dataset.open',
  'training.start',
  'training.cancel',
  'trials.list',
  'trials.get',
  'export.encoder',
  'encode.apply',
  'report.write',
  'estimate.calibrate',
  'studies.list',
  'studies.get',
  'study.validate',
  'study.start',
  'study.resume',
  'study.cancel',
  'study.refit',
  'trials.projection',
  'trials.reconstructions',
  'trials.curves',
  'trials.annotate',
  'explorer.points',
  'explorer.images',
  'explorer.neighbours',
  'storage.current',
  'storage.connect',
  'storage.disconnect',
] as const;

export const EVENT_NAMES = ['dataset.progress', 'trial.progress', 'trial.epoch', 'trial.state', 'study.progress', 'trial.reconstructions', 'trial.latents', 'encode.progress'] as const;

export type MethodNameList = (typeof METHOD_NAMES)[number];
export type EventNameList = (typeof EVENT_NAMES)[number];

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethodName(name: unknown): name is MethodNameList {
  return typeof name === 'string' && methodSet.has(name);
}
export function isEventName(name: unknown): name is EventNameList {
  return typeof name === 'string' && eventSet.has(name);
}

export const IPC_INVOKE_CHANNEL = 'latent-lab:invoke';
export const IPC_EVENT_CHANNEL = 'latent-lab:event';
