// The CLI's exit codes, one meaning each (documented in `latent-lab --help` and the README).
export const EXIT = {
  /** Done. */
  ok: 0,
  /** `train`: the trial failed; any command: an unexpected internal error (with its stack). */
  failed: 1,
  /** Wrong flags, a bad folder or an invalid spec: nothing was run. */
  usage: 2,
  /** `search` / `resume`: a trainer process crashed, or no trial of this run finished. */
  studyFailed: 3,
  /** The trial database is missing, damaged, read-only or from a newer version (`db check`: problems found). */
  database: 4,
  /** Stopped by Ctrl+C (paused or cancelled). */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    train: the trial failed (or an unexpected internal error)
  2    wrong flags, a bad folder or an invalid spec (nothing was run)
  3    search / resume: a trainer process crashed, or no trial of this run finished
  4    the trial database is missing, damaged, read-only or newer (db check: problems found)
  130  stopped by Ctrl+C (paused or cancelled)`;
