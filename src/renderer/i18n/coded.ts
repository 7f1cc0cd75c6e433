// Says a coded message from the engine (an error's or a note's code and parameters, src/shared/errors.ts) in
// the UI language: errors.<CODE> or notes.<CODE>. Reads the reactive locale, so a template re-renders on a switch.
import { isErrorCode, type CodedText } from '../../shared/errors';
import { i18n } from './index';

export function sayCoded(m: CodedText): string {
  return i18n.global.t(isErrorCode(m.code) ? `errors.${m.code}` : `notes.${m.code}`, m.params);
}

/** The training backend's notes as one line: what runs, then why the faster backends were not used. */
export function sayBackendNotes(notes: readonly CodedText[]): string {
  const [what, ...why] = notes.map(sayCoded);
  if (what === undefined) return '';
  return why.length ? i18n.global.t('common.engine.noteWhy', { what, why: why.join(i18n.global.t('common.engine.noteSep')) }) : what;
}
