// What the refit card's tests share, wherever the card sits (dashboard, analytics' export card): a fake engine
// typed by the contract that answers studies.get, study.refit, training.cancel and export.encoder, a verdict on
// test, and a finished study whose chosen trial has one.
import type { Component } from 'vue';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { StudyDetail, StudyRefit, TrialProgress } from '../../src/shared/dto';
import type { TestVerdict } from '../../src/shared/verdict';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { FakeEvents } from './fakeEvents';
import { fakeStudy, trial } from './analyticsFixtures';

export function verdict(trialId: number, trialNumber: number, acc: number, outcome: 'better' | 'same'): TestVerdict {
  return {
    trialId,
    trialNumber,
    latentSize: 8,
    testImages: 200,
    accuracy: { value: acc, lo: acc - 0.03, hi: acc + 0.03 },
    comparisons: [
      { baseline: 'raw', dim: 64, accuracy: { value: 0.8, lo: 0.77, hi: 0.83 }, difference: { value: acc - 0.8, lo: acc - 0.83, hi: acc - 0.77 }, mcnemar: { onlyTrial: 9, onlyBaseline: 5, pValue: 0.42, method: 'exact' }, outcome: 'same' },
      { baseline: 'pca', dim: 8, accuracy: { value: 0.78, lo: 0.75, hi: 0.81 }, difference: { value: acc - 0.78, lo: 0.004, hi: 0.06 }, mcnemar: { onlyTrial: 14, onlyBaseline: 3, pValue: 0.01, method: 'exact' }, outcome },
    ],
    missing: [],
    level: 0.95,
    alpha: 0.05,
    resamples: 1000,
    seed: 0,
  };
}

export class FakeEngine extends FakeEvents implements LatentLabApi {
  calls: { method: string; input: unknown }[] = [];
  study: StudyDetail;
  refitError: ApiError | null = null;
  cancelled = true;

  constructor(study: StudyDetail) {
    super();
    this.study = study;
  }

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    this.calls.push({ method, input });
    return this.handle(method, input as Record<string, unknown>) as MethodOutput<M>;
  }

  private handle(method: MethodName, input: Record<string, unknown>): unknown {
    switch (method) {
      case 'studies.get':
        return structuredClone(this.study); // fresh objects on every read, like the engine's
      case 'study.refit': {
        if (this.refitError) throw this.refitError;
        const refit: StudyRefit = { trialId: 50, of: Number(input.trialNumber), epochs: Number(input.epochs), state: 'WAITING', failReason: null, verdict: null };
        this.study = { ...this.study, refits: [refit, ...this.study.refits] };
        return { trialId: 50 };
      }
      case 'training.cancel':
        return { cancelled: this.cancelled };
      case 'export.encoder':
        return { folder: String(input.folder), files: ['manifest.json', 'encoder.onnx'] };
      default:
        throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
    }
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }
}

/** A finished study whose chosen trial #1 (id 2) trained 4 epochs and has its verdict on test. */
export function finishedStudy(over: Partial<StudyDetail> = {}): StudyDetail {
  const trials = [trial({ id: 1, number: 0, values: [0.05] }), trial({ id: 2, number: 1, values: [0.04], epochsDone: 4 })];
  return fakeStudy(trials, { state: 'finished', bestValue: 0.04, bestTrialId: 2, verdict: verdict(2, 1, 0.82, 'better'), ...over });
}

export const progress = (epoch: number, epochs: number): TrialProgress => ({ trialId: 50, epoch, epochs, batch: 5, batches: 10, samplesPerSec: 500, etaSeconds: 42 });

/**
 * A fresh Pinia per test and a host that shows the open study (as a page does), mounted with a fake engine
 * holding `study`, opened. `engine` is the current test's.
 */
export function refitHarness(host: Component): { mount: (study: StudyDetail, locale?: 'en' | 'zh') => Promise<VueWrapper>; readonly engine: FakeEngine } {
  let pinia: Pinia = createPinia();
  let engine: FakeEngine | null = null;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    engine = null;
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });
  return {
    async mount(study, locale = 'en') {
      engine = new FakeEngine(study);
      setApi(engine);
      const w = mount(host, { global: { plugins: [pinia, createAppI18n(locale)] }, attachTo: document.body });
      await useOpenStudyStore().open('fake');
      await flushPromises();
      return w;
    },
    get engine() {
      if (!engine) throw new Error('mount first');
      return engine;
    },
  };
}
