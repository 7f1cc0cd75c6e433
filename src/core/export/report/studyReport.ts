// A study report to share: one self-contained HTML file (static SVG charts, images as data URLs, a Content
// Security Policy that forbids any request) with the latent-size trade-off, the optimisation history, parameter
// importance, the chosen trial's parameters, its test metrics beside the raw-pixel and PCA baselines and the
// verdict on test (does its code beat them, with intervals), its confusion matrix and reconstructions, the
// refit of the chosen configuration on training + validation images when there is one (its verdict beside
// the chosen trial's); plus trials.csv with every trial.
import path from 'node:path';
import { activeParams } from '../../../shared/activeParams';
import { MIN_TRIALS, paramImportance } from '../../../shared/analytics/importance';
import { optimizationHistory } from '../../../shared/analytics/objective';
import { paramAxes } from '../../../shared/analytics/params';
import type { TrialSummary } from '../../../shared/dto';
import { APP_VERSION } from '../../../shared/version';
import { objectiveLabel } from '../../../shared/study/objectives';
import { featureQuality } from '../../evaluation/featureQuality';
import { confusionOf, flattenSplitMetrics } from '../../evaluation/storedMetrics';
import { readTrialAttributes } from '../../study/attributes';
import { describeProbeSetting, verdictLinesEn, type TestVerdict } from '../../../shared/verdict';
import { signed } from '../../../shared/verdictWords';
import { latentTradeoff } from '../../evaluation/tradeoff';
import { csvCell } from '../encoderBundle';
import { AppError } from '../../../shared/errors';
import { reportCsvName } from '../../../shared/exportNames';
import { checkOutputFile, writeFileReplacing } from '../safeFolder';
import type { Storage } from '../../storage/types';
import { Study } from '../../study/study';
import { trialReconstructions } from '../../trainer/storedReconstructions';
import { refitsOf, refitVerdict, type StoredRefit } from '../../trainer/refit';
import { readTrainingRecord } from '../exportBundle';
import { toTrialSummary } from '../../study/trialDto';
import { barChart, confusionTable, escapeHtml as esc, fmt, xyChart } from './svg';

export interface StudyReport {
  html: string;
  trialsCsv: string;
  chosenTrialNumber: number | null;
}

const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

function metricsTable(rows: Array<[string, Record<string, number | null> | null]>): string {
  const keys = [...new Set(rows.flatMap(([, m]) => Object.keys(m ?? {}).map((k) => k.replace(/^(val|test)_/, ''))))];
  if (!keys.length) return '<p>No downstream metrics (the folder is unlabeled and no targets were given).</p>';
  const head = `<tr><th>metric</th>${rows.map(([name]) => `<th>${esc(name)}</th>`).join('')}</tr>`;
  const body = keys
    .map((k) => `<tr><th>${esc(k)}</th>${rows.map(([, m]) => `<td>${fmt(m ? (m[`test_${k}`] ?? m[`val_${k}`] ?? null) : null)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="metrics">${head}${body}</table>`;
}

function trialsCsv(trials: TrialSummary[], objectives: string[]): string {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.searchParams)))];
  const metrics = [...new Set(trials.flatMap((t) => Object.keys(t.metrics)))].sort();
  // config_problem: why this version cannot read a trial's configuration (its searched values above are as stored).
  const head = ['number', 'state', ...objectives, ...params, ...metrics, 'epochs', 'created', 'finished', 'fail_reason', 'config_problem'];
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : csvCell(typeof v === 'string' ? v : JSON.stringify(v)));
  const lines = trials.map((t) => [t.number, t.state, ...objectives.map((_, i) => t.values[i]), ...params.map((p) => t.searchParams[p]), ...metrics.map((m) => t.metrics[m]), t.epochsDone, t.createdAt, t.finishedAt, t.failReason, t.paramsProblem].map(cell).join(','));
  return [head.map(csvCell).join(','), ...lines].join('\n') + '\n';
}

const verdictHtml = (v: TestVerdict, subject?: string): string => `<div class="verdict">${verdictLinesEn(v, subject).map((l) => `<p>${esc(l.trim())}</p>`).join('')}</div>`;

/**
 * The study's refits (newest first): the newest COMPLETE one's training and verdict on test beside the chosen
 * trial's, and the others' outcomes. Empty when the study has none.
 */
async function refitSection(storage: Storage, refits: StoredRefit[], chosenVerdict: TestVerdict | null, artifactsRoot: string): Promise<string> {
  if (!refits.length) return '';
  const done = refits.find((r) => r.trial.state === 'COMPLETE') ?? null;
  const others = refits.filter((r) => r !== done).map((r) => `<li>trial ${r.trial.id}: of trial #${r.refitOf.trialNumber}, ${r.refitOf.epochs} epochs, ${esc(r.trial.state)}${r.trial.failReason ? ` (${esc(r.trial.failReason)})` : ''}</li>`);
  const othersHtml = others.length ? `<p>${done ? 'Other refits' : 'No refit has completed'}:</p><ul>${others.join('')}</ul>` : '';
  if (!done) return `<h2>Refit</h2>${othersHtml}`;
  const verdict = await refitVerdict(storage, done);
  // How many images it learned from is in its training record; a report still says the rest without it.
  const images = await readTrainingRecord(storage, done.trial, artifactsRoot).then(({ record }) => record.training.fitImages ?? null, () => null);
  const change = verdict && chosenVerdict ? 100 * (verdict.accuracy.value - chosenVerdict.accuracy.value) : null;
  return `<h2>Refit</h2>
<p>Refit trial <b>${done.trial.id}</b> (study "Refits"): the configuration of trial #${done.refitOf.trialNumber} trained again from scratch on the training + validation images${images !== null ? ` (${images} images)` : ''} for ${done.refitOf.epochs} epochs, without early stopping, once the search had chosen it; judged on the same test images as the chosen trial. It is the encoder to export: <code>latent-lab export --trial ${done.trial.id} --out &lt;folder&gt;</code>.</p>
${chosenVerdict && chosenVerdict.trialNumber !== done.refitOf.trialNumber ? `<p class="note">The study has chosen trial #${chosenVerdict.trialNumber} since this refit of trial #${done.refitOf.trialNumber} was made.</p>` : ''}
<div class="pair"><div><h3>Chosen trial #${chosenVerdict?.trialNumber ?? done.refitOf.trialNumber} (training images)</h3>${chosenVerdict ? verdictHtml(chosenVerdict) : '<p>No verdict on test.</p>'}</div>
<div><h3>Refit (training + validation images)</h3>${verdict ? verdictHtml(verdict, `the refit of trial #${done.refitOf.trialNumber}`) : '<p>No verdict: the refit has no test predictions (the study keeps no test split, or the folder is unlabeled).</p>'}</div></div>
${change !== null ? `<p>Test accuracy of the refit minus the chosen trial's: ${signed(change)} points.</p>` : ''}${othersHtml}`;
}

/** `artifactsRoot`: the data folder's artifacts/, where the chosen trial's reconstructions are found. */
export async function buildStudyReport(storage: Storage, name: string, artifactsRoot: string, now = new Date()): Promise<StudyReport> {
  const study = await Study.load(storage, name);
  const spec = study.spec;
  const primary = spec.primaryObjective;
  const direction = study.primaryDirection;
  const records = await storage.listTrials({ studyId: study.id });
  const trials: TrialSummary[] = [];
  for (const t of records) trials.push(await toTrialSummary(storage, t));
  const objectives = spec.objectives.map((o) => objectiveLabel(o));
  const chosen = await study.bestTrial();
  const chosenSummary = chosen ? trials.find((t) => t.id === chosen.id) ?? null : null;
  const chosenAttrs = chosen ? await readTrialAttributes(storage, chosen.id) : {};
  const quality = featureQuality(chosen, chosenAttrs, await storage.getStudyAttrs(study.id));

  const history = optimizationHistory(trials, direction, primary);
  const historySvg = history.length
    ? xyChart(`Optimisation history: ${objectives[primary]}`, 'trial number', objectives[primary], [
        { name: 'trial value', color: '#1f77b4', points: history.map((h) => [h.number, h.value]), highlight: chosen ? history.filter((h) => h.trialId === chosen.id).map((h) => [h.number, h.value]) : [] },
        { name: `best so far (${direction})`, color: '#ff7f0e', points: history.map((h) => [h.number, h.best]), line: true },
      ])
    : '<p>No COMPLETE trial yet.</p>';

  const unreadable = trials.filter((t) => t.state === 'COMPLETE' && !t.params).length;
  const unreadableNote = unreadable ? `<p class="note">${unreadable} COMPLETE trial${unreadable === 1 ? ' is' : 's are'} left out: written by another version of Latent Lab, ${unreadable === 1 ? 'its' : 'their'} configuration cannot be read here (see config_problem in trials.csv).</p>` : '';
  const tradeRows = latentTradeoff(
    // A trial whose configuration this version cannot read has no known latent size: it is left out, not guessed.
    trials.flatMap((t) => (t.state === 'COMPLETE' && t.params ? [{ trialId: t.number, latentSize: t.params.latentSize, reconError: t.metrics.val_recon_mse ?? null, downstream: t.metrics.val_accuracy ?? t.metrics.val_r2 ?? null }] : [])),
    'maximize',
  );
  const downstreamName = trials.some((t) => t.metrics.val_accuracy !== undefined) ? 'validation accuracy' : 'validation R2';
  // PCA at every code size the study tried, on the same axes: where the autoencoder starts to pay off.
  const pca = [...quality.pcaBySize].sort((a, b) => a.latentSize - b.latentSize);
  const pcaRecon = pca.filter((p) => p.reconMse !== null).map((p): [number, number] => [p.latentSize, p.reconMse as number]);
  const pcaAcc = pca.filter((p) => p.accuracy !== null).map((p): [number, number] => [p.latentSize, p.accuracy as number]);
  const tradeSvg = tradeRows.length
    ? xyChart('Latent-size trade-off: best reconstruction error', 'latent size', 'validation reconstruction MSE', [{ name: 'best recon MSE', color: '#1f77b4', points: tradeRows.filter((r) => r.bestRecon !== null).map((r) => [r.latentSize, r.bestRecon as number]), line: true }, ...(pcaRecon.length ? [{ name: 'PCA recon MSE', color: '#7f7f7f', points: pcaRecon, line: true }] : [])], { logX: true }) +
      (tradeRows.some((r) => r.bestDownstream !== null)
        ? xyChart(`Latent-size trade-off: best ${downstreamName}`, 'latent size', downstreamName, [{ name: `best ${downstreamName}`, color: '#2ca02c', points: tradeRows.filter((r) => r.bestDownstream !== null).map((r) => [r.latentSize, r.bestDownstream as number]), line: true }, ...(pcaAcc.length && downstreamName === 'validation accuracy' ? [{ name: 'PCA validation accuracy', color: '#7f7f7f', points: pcaAcc, line: true }] : [])], { logX: true })
        : '')
    : `<p>No COMPLETE trial${unreadable ? ' whose configuration this version can read' : ''} yet.</p>`;

  const importance = paramImportance(trials, paramAxes(spec, trials), primary);
  const importanceSvg = importance.insufficient
    ? `<p>Parameter importance needs at least ${MIN_TRIALS} COMPLETE trials (${importance.trials} so far).</p>`
    : (importance.few ? `<p>Only ${importance.trials} COMPLETE trials: the order below is a rough hint.</p>` : '') +
      barChart("Parameter importance (fANOVA over a random forest: each parameter's share of the objective's rank variance)", [...importance.params].sort((a, b) => b.importance - a.importance).map((p) => ({ label: p.name, value: p.importance })));

  let chosenHtml = '<p>No COMPLETE trial with a value yet.</p>';
  if (chosen && chosenSummary) {
    const attrs = chosenAttrs;
    const test = attrs.testMetrics ?? null;
    const testFlat = test ? flattenSplitMetrics('test', test) : null;
    const { baselines, probeSetting, verdict } = quality;
    const classes = attrs.classes ?? [];
    const confusion = (test && confusionOf(test, classes)) || confusionOf(attrs.evaluation, classes);
    const params = chosenSummary.params
      ? `<table class="params">${Object.entries(activeParams(chosenSummary.params)).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmt(v, 6) : JSON.stringify(v))}</td></tr>`).join('')}</table>`
      : `<p>This trial's configuration was written by another version of Latent Lab and cannot be read here: ${esc(chosenSummary.paramsProblem ?? 'unknown problem')}. Its metrics are kept.</p>`;
    let recon = '';
    try {
      const r = await trialReconstructions(storage, chosen, artifactsRoot);
      recon = `<div class="recon"><div>${r.originals.map((u) => `<img alt="original" src="${u}">`).join('')}</div><div>${r.reconstructions.map((u) => `<img alt="reconstruction" src="${u}">`).join('')}</div></div><p class="note">Top: validation images; bottom: their reconstructions (epoch ${r.epoch}).</p>`;
    } catch (err) {
      recon = `<p>${esc(err instanceof Error ? err.message : String(err))}</p>`;
    }
    const split = testFlat ? 'test split (held out from training and selection)' : 'validation split (the study keeps no test split)';
    chosenHtml = `<p>Trial <b>#${chosen.number}</b> (the best ${esc(objectives[primary])}, ${direction}): ${objectives.map((o, i) => `${esc(o)} = ${fmt(chosen.values[i] ?? null)}`).join(', ')}.</p>
<h3>Parameters</h3>${params}
<h3>Downstream metrics on the ${split}, next to the baselines</h3>
${metricsTable([[`trial #${chosen.number}`, testFlat ?? chosenSummary.metrics], ...(baselines ? ([[`raw pixels (validation)`, baselines.raw], [`PCA(${baselines.pcaDim}) (validation)`, baselines.pca]] as Array<[string, Record<string, number | null> | null]>) : [])])}
${baselines ? '' : '<p class="note">No baselines stored for this study.</p>'}
${probeSetting ? `<p class="note">Probe: ${esc(spec.probe.kind)}, ${esc(describeProbeSetting(probeSetting))}.</p>` : ''}
<h3>Does the autoencoder beat PCA? The verdict on test</h3>
${verdict ? verdictHtml(verdict) : '<p>No verdict: the chosen trial has no test predictions (the study keeps no test split, or the folder is unlabeled).</p>'}
<h3>Confusion matrix${test && confusionOf(test, classes) ? ' (test split)' : ' (validation split)'}</h3>
${confusion ? confusionTable(confusion.classes, confusion.matrix) : '<p>No classification (unlabeled folder).</p>'}
<h3>Reconstructions</h3>${recon}`;
  }

  const refitHtml = await refitSection(storage, await refitsOf(storage, study.id), quality.verdict, artifactsRoot);

  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Latent Lab study report: ${esc(name)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f6f6f6;text-align:left}
.note{color:#666;font-size:12px}.chart{display:block;margin:8px 0;max-width:100%;height:auto}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.recon img{width:56px;height:56px;image-rendering:pixelated;margin:2px;border:1px solid #ccc}
</style></head><body>
<h1>Study report: ${esc(name)}</h1>
<p class="note">Latent Lab ${esc(APP_VERSION)}, ${esc(now.toISOString())}. Dataset ${esc(spec.dataset.path)} at ${spec.dataset.imageSize}x${spec.dataset.imageSize}, ${spec.dataset.channels === 1 ? 'grey' : 'RGB'}; sampler ${esc(spec.sampler.type)}, pruner ${esc(spec.pruner.type)}, seed ${spec.seed}.
Trials: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}. Objectives: ${objectives.map(esc).join(', ')}.</p>
<h2>Chosen trial</h2>${chosenHtml}
${refitHtml}
<h2>Latent-size trade-off</h2>${tradeSvg}${unreadableNote}
<h2>Optimisation history</h2>${historySvg}
<h2>Parameter importance</h2>${importanceSvg}
<p class="note">Every trial, with parameters and validation metrics: the trials.csv written beside this file.</p>
</body></html>
`;
  return { html, trialsCsv: trialsCsv(trials, objectives), chosenTrialNumber: chosen?.number ?? null };
}

/** Writes report.html and trials.csv beside it (<name>.trials.csv); existing files are replaced only with `force`. */
export async function writeStudyReport(opts: { storage: Storage; study: string; out: string; force: boolean; protectedPaths: string[]; artifactsRoot: string }): Promise<{ files: string[]; report: StudyReport }> {
  if (path.extname(opts.out).toLowerCase() !== '.html') throw new AppError('OUTPUT_EXTENSION', { expected: '.html', name: path.basename(opts.out) });
  const policy = { protectedPaths: opts.protectedPaths, force: opts.force, what: 'report' };
  const html = await checkOutputFile(opts.out, policy);
  const csv = await checkOutputFile(reportCsvName(html), policy);
  const report = await buildStudyReport(opts.storage, opts.study, opts.artifactsRoot);
  await writeFileReplacing(html, report.html);
  await writeFileReplacing(csv, report.trialsCsv);
  return { files: [html, csv], report };
}
