// The native dialogs of the main process: the folder picker, confirming a folder typed in the page, and
// confirming a link to open in the system browser. In English or Chinese, as the system language says
// (the page's own language switch lives in the renderer; these appear before or outside it).
import { app, BrowserWindow, dialog, type MessageBoxOptions, type OpenDialogOptions } from 'electron';
import type { PathPurpose } from '../server/pathPolicy';

const TEXT = {
  en: {
    pickTitle: 'Choose a folder',
    typedDataset: 'Open this folder in Latent Lab?',
    typedExport: 'Export into this folder?',
    typedDetail: 'The path was typed in the Latent Lab window, not chosen with Browse…. Continue only if you typed it yourself.',
    open: 'Open',
    exportHere: 'Export here',
    cancel: 'Cancel',
    linkMessage: 'Open this link in your web browser?',
    openLink: 'Open link',
    studyFromFile: 'Start the study "{name}" from this file?',
    studyFromFileDetail: 'Its dataset folder is checked before any training starts.',
    startStudy: 'Start study',
    specFileProblem: 'Latent Lab cannot start a study from this file',
  },
  zh: {
    pickTitle: '选择文件夹',
    typedDataset: '在 Latent Lab 中打开此文件夹？',
    typedExport: '导出到此文件夹？',
    typedDetail: '该路径是在 Latent Lab 窗口中输入的，而不是用“浏览…”选择的。只有在确认是你自己输入的情况下才继续。',
    open: '打开',
    exportHere: '导出到这里',
    cancel: '取消',
    linkMessage: '在浏览器中打开此链接？',
    openLink: '打开链接',
    studyFromFile: '从此文件开始研究“{name}”？',
    studyFromFileDetail: '开始训练之前会先检查其数据集文件夹。',
    startStudy: '开始研究',
    specFileProblem: 'Latent Lab 无法从此文件开始研究',
  },
};

const text = () => (app.getLocale().toLowerCase().startsWith('zh') ? TEXT.zh : TEXT.en);
const parentWindow = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

async function ask(options: MessageBoxOptions): Promise<boolean> {
  const parent = parentWindow();
  const result = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return result.response === 0;
}

export async function pickFolder(): Promise<string | null> {
  const options: OpenDialogOptions = { title: text().pickTitle, properties: ['openDirectory', 'createDirectory'] };
  const parent = parentWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** A folder typed in the page that the user did not pick: they must confirm it here, in the main process. */
export function confirmTypedFolder(folder: string, purpose: PathPurpose): Promise<boolean> {
  const t = text();
  return ask({
    type: 'question',
    buttons: [purpose === 'export' ? t.exportHere : t.open, t.cancel],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    message: purpose === 'export' ? t.typedExport : t.typedDataset,
    detail: `${folder}\n\n${t.typedDetail}`,
  });
}

export function confirmExternalLink(url: string): Promise<boolean> {
  const t = text();
  return ask({ type: 'question', buttons: [t.openLink, t.cancel], defaultId: 1, cancelId: 1, noLink: true, message: t.linkMessage, detail: url });
}

/** A study spec file opened from the system: start it only if the user says so. */
export function confirmStudyFromFile(file: string, name: string): Promise<boolean> {
  const t = text();
  return ask({
    type: 'question',
    buttons: [t.startStudy, t.cancel],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
    message: t.studyFromFile.replace('{name}', name),
    detail: `${file}\n\n${t.studyFromFileDetail}`,
  });
}

export function showSpecFileProblem(file: string, problem: string): void {
  dialog.showErrorBox(text().specFileProblem, `${file}\n\n${problem}`);
}
