// File names the app writes for the user, known to the engine (which writes them) and the renderer (which names
// them in the overwrite confirmation).

/** A study report's file name from the study's name: letters, digits, dot, dash and underscore kept. */
export function reportFileName(study: string): string {
  const safe = study.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '') || 'study';
  return `${safe}-report.html`;
}

/** The trials table written beside a report (report.html -> report.trials.csv). */
export function reportCsvName(reportFile: string): string {
  return reportFile.replace(/\.html$/i, '.trials.csv');
}
