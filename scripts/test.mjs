// `npm test`: typecheck, lint, unit + integration tests (vitest), end-to-end tests (Playwright in Chromium).
// Ends with one line `N passed, N failed` summing every suite (typecheck and lint count one each).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(label, cmd, args) {
  process.stdout.write(`\n== ${label}: ${[path.basename(cmd), ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function check(label, cmd, args) {
  const ok = run(label, cmd, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${label}: ${ok ? 'ok' : 'FAILED'}`);
}

function vitest(label, extraArgs) {
  const report = path.join(tmp, `${label.replace(/\W+/g, '-')}.json`);
  const ok = run(label, bin('vitest'), ['run', ...extraArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (!fs.existsSync(report)) {
    totals.failed += 1;
    lines.push(`${label}: FAILED (no report; the run crashed)`);
    return;
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  const failedSuites = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + failedSuites;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  lines.push(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed${ok ? '' : ' (vitest exited non-zero)'}`);
  if (!ok && r.numFailedTests + failedSuites === 0) totals.failed += 1;
}

check('typecheck (node side)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
check('typecheck (web side)', bin('vue-tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
check('typecheck (browser tests)', bin('vue-tsc'), ['-p', 'tsconfig.dom-tests.json', '--noEmit']);
check('lint', bin('eslint'), ['.', '--max-warnings=0']);
vitest('unit and integration', []);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (fs.existsSync(chromium)) {
  vitest('end-to-end (Chromium)', ['--config', 'vitest.e2e.config.ts']);
} else if (process.env.CI) {
  totals.failed += 1;
  lines.push(`end-to-end: FAILED (no Chromium at ${chromium}; .ci/run installs Debian's chromium)`);
} else {
  totals.skipped += 1;
  lines.push(`end-to-end: SKIPPED (no Chromium at ${chromium}: sudo apt-get install chromium, or set CHROMIUM_PATH)`);
}

fs.rmSync(tmp, { recursive: true, force: true });
process.stdout.write(`\n${lines.join('\n')}\n`);
if (totals.skipped) process.stdout.write(`(${totals.skipped} skipped)\n`);
// The closing line is exactly `N passed, N failed`: CI reads it.
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 ? 0 : 1);
