// Error messages by code: the English text lives with the codes in src/shared/errors.ts (one home; the CLI
// and the logs print the same words). zh/errors.ts translates each one.
import { ERROR_MESSAGES, type ErrorCode } from '../../../../shared/errors';

const errors: Record<ErrorCode, string> = ERROR_MESSAGES;

export default errors;
