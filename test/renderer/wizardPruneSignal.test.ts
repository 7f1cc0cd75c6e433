// @vitest-environment happy-dom
// "Prune on" (pruner.signal, issue 15): the spec builder writes it and the engine accepts what it writes, the
// spec loader reads it back (absent = reconstruction, as the engine does; an unknown value is reported), the
// wizard store makes it follow the primary objective unless the user picked one, and the strategy and review
// steps say it in words.
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseStudySpec } from '../../src/shared/study/spec';
import { defaultDraft, reviveDraft, type WizardDraft } from '../../src/renderer/components/wizard/draft';
import { buildSpec, fieldIssue } from '../../src/renderer/components/wizard/specBuilder';
import { draftFromSpec } from '../../src/renderer/components/wizard/specLoader';
import NewStudyPage from '../../src/renderer/pages/NewStudyPage.vue';
import { useWizardStore } from '../../src/renderer/stores/wizard';
import { byTestId, clearStorage, click, control, installFakeEngine, mountApp } from './wizardHarness';

const NOW = new Date(2026, 0, 28, 9, 15);

function draft(edit: (d: WizardDraft) => void = () => undefined): WizardDraft {
  const d = defaultDraft(NOW);
  edit(d);
  return d;
}
const downstream = (d: WizardDraft): void => {
  d.objective.kind = 'downstream';
  d.objective.metric = 'val_accuracy';
};

let wrapper: VueWrapper | null = null;
beforeAll(() => {
  installFakeEngine();
});
beforeEach(() => clearStorage());
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

describe('buildSpec and draftFromSpec with pruner.signal', () => {
  it('writes the signal of every pruner that compares something, and the engine reads the same', () => {
    for (const pruner of ['median', 'successiveHalving', 'hyperband'] as const) {
      for (const signal of ['reconstruction', 'downstream'] as const) {
        const r = buildSpec(draft((d) => {
          downstream(d);
          d.strategy.pruner = pruner;
          d.strategy.pruneSignal = signal;
        }));
        expect(r.issues).toEqual([]);
        expect(r.spec.pruner).toMatchObject({ type: pruner, signal });
        const parsed = parseStudySpec(r.spec);
        expect(parsed.ok && parsed.spec.pruner).toMatchObject({ type: pruner, signal });
      }
    }
    expect(buildSpec(draft((d) => (d.strategy.pruner = 'nop'))).spec.pruner).toEqual({ type: 'nop' });
  });

  it('reports a downstream signal on a reconstruction objective instead of writing a spec the engine refuses', () => {
    const r = buildSpec(draft((d) => (d.strategy.pruneSignal = 'downstream')));
    expect(fieldIssue(r.issues, 'strategy.pruneSignal')).toMatchObject({ step: 'strategy', key: 'signalNeedsDownstream' });
    const parsed = parseStudySpec(r.spec);
    expect(parsed.ok).toBe(false);
    // A multi-objective study whose primary objective is the reconstruction error: the same.
    const multi = buildSpec(draft((d) => {
      d.objective.kind = 'multi';
      d.objective.multi = ['val_recon', 'val_accuracy'];
      d.objective.primary = 'val_recon';
      d.strategy.pruneSignal = 'downstream';
    }));
    expect(fieldIssue(multi.issues, 'strategy.pruneSignal')?.key).toBe('signalNeedsDownstream');
  });

  it('round-trips both signals, and remembers whether the user picked one against the objective', () => {
    for (const signal of ['reconstruction', 'downstream'] as const) {
      const first = buildSpec(draft((d) => {
        downstream(d);
        d.strategy.pruner = 'hyperband';
        d.strategy.pruneSignal = signal;
      })).spec;
      const loaded = draftFromSpec(JSON.parse(JSON.stringify(first)), NOW);
      expect(loaded.ok).toBe(true);
      if (!loaded.ok) continue;
      expect(loaded.draft.strategy).toMatchObject({ pruneSignal: signal, pruneSignalChosen: signal === 'reconstruction' });
      expect(buildSpec(loaded.draft).spec).toEqual(first);
    }
  });

  it('reads a pruner without signal as the reconstruction error, what the engine compares for it', () => {
    const base = { name: 'x', dataset: { path: '/d' }, searchSpace: { params: [] }, budget: { trials: 1 }, objectives: [{ name: 'val_accuracy' }] };
    const raw = { ...base, pruner: { type: 'hyperband', minResource: 1, reductionFactor: 3 } };
    const loaded = draftFromSpec(raw, NOW);
    expect(loaded.ok && loaded.draft.strategy).toMatchObject({ pruner: 'hyperband', pruneSignal: 'reconstruction', pruneSignalChosen: true });
    const engine = parseStudySpec(raw);
    expect(engine.ok && engine.spec.pruner).toMatchObject({ signal: 'reconstruction' });
    // No pruner at all: the engine's default (Hyperband on the downstream objective), not the wizard's.
    const none = draftFromSpec(base, NOW);
    expect(none.ok && none.draft.strategy).toMatchObject({ pruner: 'hyperband', pruneSignal: 'downstream', pruneSignalChosen: false });
    const noneEngine = parseStudySpec(base);
    expect(noneEngine.ok && noneEngine.spec.pruner).toMatchObject({ type: 'hyperband', signal: 'downstream' });
  });

  it('reports an unknown signal like an unknown pruner, and loads nothing', () => {
    const base = { name: 'x', dataset: { path: '/d' }, searchSpace: { params: [] }, budget: { trials: 1 }, objectives: [{ name: 'val_accuracy' }] };
    expect(draftFromSpec({ ...base, pruner: { type: 'median', signal: 'accuracy' } }, NOW)).toEqual({
      ok: false,
      errors: [{ key: 'badSignal', params: { signal: 'accuracy' } }],
    });
    expect(draftFromSpec({ ...base, pruner: { type: 'median', signal: 3 } }, NOW)).toEqual({ ok: false, errors: [{ key: 'badSignal', params: { signal: '3' } }] });
  });

  it('revives a remembered draft from before the choice as following the objective', () => {
    const old = JSON.parse(JSON.stringify(draft(downstream))) as { strategy: Record<string, unknown> };
    delete old.strategy.pruneSignal;
    delete old.strategy.pruneSignalChosen;
    expect(reviveDraft(old, NOW).strategy).toMatchObject({ pruneSignal: 'downstream', pruneSignalChosen: false });
    expect(reviveDraft({ strategy: { pruneSignal: 'bogus' } }, NOW).strategy.pruneSignal).toBe('reconstruction');
    expect(reviveDraft({ objective: { kind: 'weighted' }, strategy: { pruneSignal: 'reconstruction', pruneSignalChosen: true } }, NOW).strategy).toMatchObject({
      pruneSignal: 'reconstruction',
      pruneSignalChosen: true,
    });
  });
});

describe('the wizard store: the signal follows the primary objective', () => {

  it('is the downstream objective for a downstream primary, the reconstruction error otherwise, until the user picks', async () => {
    wrapper = await mountApp(NewStudyPage);
    const wizard = useWizardStore();
    const s = wizard.draft.strategy;
    expect(s.pruneSignal).toBe('reconstruction');
    wizard.draft.objective.kind = 'downstream';
    expect(s).toMatchObject({ pruner: 'hyperband', pruneSignal: 'downstream', pruneSignalChosen: false });
    wizard.draft.objective.kind = 'weighted';
    expect(s.pruneSignal).toBe('downstream');
    // Several objectives: the primary one decides.
    wizard.draft.objective.kind = 'multi';
    wizard.draft.objective.multi = ['val_recon', 'val_accuracy'];
    wizard.draft.objective.primary = 'val_recon';
    expect(s.pruneSignal).toBe('reconstruction');
    wizard.draft.objective.primary = 'val_accuracy';
    expect(s.pruneSignal).toBe('downstream');
    // Reconstruction forces the reconstruction error; a downstream objective brings the suggestion back.
    wizard.draft.objective.kind = 'reconstruction';
    expect(s.pruneSignal).toBe('reconstruction');
    wizard.draft.objective.kind = 'downstream';
    expect(s.pruneSignal).toBe('downstream');

    // The user's pick stays while the primary objective is downstream ...
    wizard.setPruneSignal('reconstruction');
    expect(s).toMatchObject({ pruneSignal: 'reconstruction', pruneSignalChosen: true });
    wizard.draft.objective.kind = 'weighted';
    expect(s.pruneSignal).toBe('reconstruction');
    wizard.draft.objective.kind = 'reconstruction';
    wizard.draft.objective.kind = 'downstream';
    expect(s.pruneSignal).toBe('reconstruction');
    // ... and picking the suggestion again makes it follow again.
    wizard.setPruneSignal('downstream');
    expect(s).toMatchObject({ pruneSignal: 'downstream', pruneSignalChosen: false });
    // A downstream signal cannot be picked for a reconstruction objective.
    wizard.draft.objective.kind = 'reconstruction';
    wizard.setPruneSignal('downstream');
    expect(s.pruneSignal).toBe('reconstruction');
  });

  it('keeps a loaded spec\'s signal as written', async () => {
    wrapper = await mountApp(NewStudyPage);
    const wizard = useWizardStore();
    const spec = buildSpec(draft((d) => {
      downstream(d);
      d.strategy.pruner = 'successiveHalving';
      d.strategy.pruneSignal = 'reconstruction';
    })).spec;
    expect(await wizard.loadText(JSON.stringify(spec))).toBe(true);
    expect(wizard.draft.strategy).toMatchObject({ pruner: 'successiveHalving', pruneSignal: 'reconstruction', pruneSignalChosen: true });
    expect(wizard.spec.pruner).toMatchObject({ signal: 'reconstruction' });
  });
});

describe('the strategy and review steps', () => {

  async function goToStep(w: VueWrapper, id: string): Promise<void> {
    await click(w, byTestId(`wizard-step-${id}`));
  }

  it('offers "Prune on" for every pruner but none, disables the downstream objective with the reason, and says it on review', async () => {
    const w = (wrapper = await mountApp(NewStudyPage));
    await goToStep(w, 'strategy');
    const card = (k: string) => `${byTestId(`wizard-prune-signal-${k}`)} input`;
    expect(control(w, card('reconstruction')).checked).toBe(true);
    expect(control(w, card('downstream')).disabled).toBe(true);
    expect(w.get(byTestId('wizard-prune-signal-downstream')).text()).toMatch(/Needs a downstream primary objective/);
    expect(w.get(byTestId('wizard-prune-signal-why')).text()).toMatch(/denoising.*dropout on the code raise the reconstruction error/);
    await goToStep(w, 'review');
    expect(w.get(byTestId('wizard-summary-prune')).text()).toBe('Median prunes on the validation reconstruction error (MSE), after every epoch: lower is better.');

    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
    await flushPromises();
    await goToStep(w, 'strategy');
    expect(control(w, card('downstream')).checked).toBe(true);
    expect(control(w, card('downstream')).disabled).toBe(false);
    expect(w.get(byTestId('wizard-prune-signal-downstream')).text()).toMatch(/Accuracy on the validation set.*at most 2,000 training codes.*higher is better/);
    await goToStep(w, 'review');
    expect(w.get(byTestId('wizard-summary-prune')).text()).toBe(
      'Hyperband prunes on Accuracy on the validation set, scored by a quick probe at the epochs where it decides: higher is better.',
    );

    await goToStep(w, 'strategy');
    await w.get(card('reconstruction')).setValue(true);
    await flushPromises();
    await goToStep(w, 'review');
    expect(w.get(byTestId('wizard-summary-prune')).text()).toMatch(/^Hyperband prunes on the validation reconstruction error/);
    await goToStep(w, 'strategy');
    await w.get(`${byTestId('wizard-pruner-nop')} input`).setValue(true);
    await flushPromises();
    expect(w.find(byTestId('wizard-prune-signal')).exists()).toBe(false);
    await goToStep(w, 'review');
    expect(w.find(byTestId('wizard-summary-prune')).exists()).toBe(false);
  });

  it('says it in Chinese', async () => {
    const w = (wrapper = await mountApp(NewStudyPage, 'zh'));
    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
    await flushPromises();
    await goToStep(w, 'review');
    expect(w.get(byTestId('wizard-summary-prune')).text()).toBe('Hyperband按验证集上的准确率剪枝，由快速探针在它做决定的周期评分：越高越好。');
  });
});
