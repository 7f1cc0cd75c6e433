// A user mistake on the command line: one line on stderr, exit 2 (see index.ts), nothing run.
export class UsageError extends Error {}
