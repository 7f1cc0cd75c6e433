// Notes by code (a skipped file's reason, the training backend): the English text lives with the codes in
// src/shared/errors.ts (NOTE_MESSAGES; one home, the CLI prints the same words). zh/notes.ts translates each one.
import { NOTE_MESSAGES, type NoteCode } from '../../../../shared/errors';

const notes: Record<NoteCode, string> = NOTE_MESSAGES;

export default notes;
