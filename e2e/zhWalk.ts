// Issue 14 defect 5: walks every screen in Simplified Chinese (sections, wizard steps, a study's dashboard,
// analytics and explorer, a trial's detail, the dataset report of a folder with bad files) and lists the Latin
// words left on each (latinWords.ts says which are allowed). Screenshots of the report and the study views
// go to e2e/artifacts/ux-zh-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { encodePng } from '../src/core/data/png';
import { screenshotWhole, tempDir, type Bridge } from './harness';
import { latinWords } from './latinWords';

/** A folder with two usable images, a damaged one, a text file, an empty file and an empty class folder. */
export function messyFolder(): string {
  const dir = tempDir('latent-lab-e2e-messy-');
  const grey = (v: number): Buffer => encodePng(new Uint8Array(14 * 14).fill(v), 14, 14, 1);
  for (const c of ['a', 'b', 'empty']) fs.mkdirSync(path.join(dir, c));
  fs.writeFileSync(path.join(dir, 'a', '1.png'), grey(10));
  fs.writeFileSync(path.join(dir, 'b', '2.png'), grey(200));
  fs.writeFileSync(path.join(dir, 'a', 'broken.png'), 'not a png');
  fs.writeFileSync(path.join(dir, 'a', 'zero.png'), Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'b', 'notes.txt'), 'text');
  return dir;
}

/**
 * The page's visible prose: text nodes that are rendered, outside code-formatted data (<code>, <kbd>, <samp>,
 * .mono: spec keys, commands, paths, file names) and outside the options a closed <select> does not show.
 */
function visibleProse(page: Page): Promise<string> {
  return page.evaluate(() => {
    type El = { closest(s: string): El | null; checkVisibility(o?: unknown): boolean; selected?: boolean };
    type TextNode = { nodeValue: string | null; parentElement: El | null };
    const doc = (globalThis as unknown as {
      document: { body: unknown; createTreeWalker(root: unknown, what: number): { nextNode(): TextNode | null } };
    }).document;
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    const parts: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.nodeValue?.trim()) continue;
      if (el.closest('code, kbd, samp, .mono, script, style')) continue;
      const option = el.closest('option');
      if (option && !option.selected) continue;
      if (!option && !el.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      parts.push(n.nodeValue);
    }
    return parts.join(' ');
  });
}

/**
 * Issue 14 defect 7: the analytics trials table at the page's width: how far it overflows its box (0 when it
 * fits) and any column header shown twice (an objective repeated as a metric, say). Screen-reader-only text
 * is left out of the headers.
 */
export async function tableFit(page: Page): Promise<{ overflow: number; repeated: string[] }> {
  return page.evaluate(() => {
    type El = { scrollWidth: number; clientWidth: number; parentElement: El | null; querySelectorAll(s: string): ArrayLike<El>; textContent: string | null; cloneNode(d: boolean): El; remove(): void };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document;
    const table = doc.querySelector('[data-testid="study-trials-table"]');
    if (!table?.parentElement) return { overflow: -1, repeated: ['no table'] };
    const heads = Array.from(table.querySelectorAll('thead th')).map((th) => {
      const copy = th.cloneNode(true);
      for (const hidden of Array.from(copy.querySelectorAll('.visually-hidden'))) hidden.remove();
      return (copy.textContent ?? '').replace(/[▲▼↑↓⇅]/g, '').trim();
    }).filter((h) => h);
    const repeated = heads.filter((h, i) => heads.indexOf(h) !== i);
    // scrollWidth and clientWidth are rounded to whole pixels: 1 px is sub-pixel rounding, not a cut column.
    const over = table.scrollWidth - table.parentElement.clientWidth;
    return { overflow: over > 1 ? over : 0, repeated };
  });
}

async function waitStep(page: Page, step: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await page.getByTestId('wizard').getAttribute('data-step')) === step) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the wizard did not reach its ${step} step`);
}

/** Every screen in Chinese; returns "screen: word" for each Latin word outside the allow-list. */
export async function walkInChinese(page: Page, bridge: Bridge, study: string, dataDir: string): Promise<string[]> {
  const detail = await bridge.services.handlers['studies.get']({ name: study });
  const messy = messyFolder();
  const found: string[] = [];
  const check = async (screen: string): Promise<void> => {
    await page.waitForTimeout(400);
    const text = await visibleProse(page);
    for (const w of latinWords(text, [study, messy, path.basename(messy), dataDir])) {
      const at = text.indexOf(w);
      found.push(`${screen}: ${w} («${text.slice(Math.max(0, at - 25), at + w.length + 25).replace(/\s+/g, ' ')}»)`);
    }
  };
  try {
    await page.goto(bridge.newLaunchUrl());
    await page.getByTestId('panel-newStudy').waitFor();
    await page.getByTestId('locale-select').selectOption('zh');
    const origin = new URL(page.url()).origin;

    // The wizard, step by step, on the sample (decoded at 14 x 14 already by the study: a cache hit).
    await page.getByTestId('wizard-image-size').fill('14');
    await page.getByTestId('wizard-preview').click();
    await page.getByTestId('wizard-dataset-summary').waitFor({ timeout: 120_000 });
    await check('wizard/dataset');
    for (const step of ['architecture', 'space', 'objective', 'strategy', 'review']) {
      await page.getByTestId('wizard-next').click();
      await waitStep(page, step);
      await check(`wizard/${step}`);
    }

    // The dataset report of the messy folder, every left-out file's reason shown.
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-path').fill(messy);
    await page.getByTestId('dataset-image-size').fill('14');
    await page.getByTestId('dataset-open').click();
    await page.getByTestId('dataset-summary').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="dataset-failures"] summary').click();
    const report = await page.getByTestId('dataset-failures').innerText();
    if (!/空文件/.test(report) || !/类别文件夹中没有可用的图像/.test(report)) found.push(`dataset: the report does not name the empty file and the empty class folder: ${report}`);
    await check('dataset');
    await screenshotWhole(page, 'ux-zh-dataset-report.png');

    for (const section of ['train', 'trials', 'studies']) {
      await page.getByTestId(`nav-${section}`).click();
      await page.getByTestId(`panel-${section}`).waitFor();
      await check(section);
    }
    await page.goto(`${origin}/#/trials/${detail.trials[0].id}`);
    await page.getByTestId('trial-detail').waitFor();
    await check('trial detail');
    await page.goto(`${origin}/#/studies/${encodeURIComponent(study)}`);
    await page.getByTestId('study-dashboard').waitFor();
    await page.getByTestId('history-chart').waitFor();
    await check('study dashboard');
    await screenshotWhole(page, 'ux-zh-dashboard.png', { maxHeight: 6000 });
    await page.goto(`${origin}/#/studies/${encodeURIComponent(study)}/analytics`);
    await page.getByTestId('study-trials-table').waitFor();
    await check('study analytics');
    const fit = await tableFit(page);
    if (fit.overflow > 0 || fit.repeated.length) found.push(`study analytics: the trials table overflows by ${fit.overflow} px or repeats ${fit.repeated.join(', ')}`);
    await page.goto(`${origin}/#/studies/${encodeURIComponent(study)}/explorer`);
    await page.getByTestId('study-explorer').waitFor();
    await check('latent explorer');
    await screenshotWhole(page, 'ux-zh-explorer.png');
  } finally {
    fs.rmSync(messy, { recursive: true, force: true });
  }
  return found;
}
