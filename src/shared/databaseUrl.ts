// Addresses of shared study databases (postgresql://user@host:port/database), as the CLI, the engine and the
// app's connection form see them. A password may be typed into an address, but is never shown: every address
// printed, logged or displayed goes through maskDatabaseUrl.

/** Whether a location names a database server rather than a SQLite file. */
export const isDatabaseUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** A URL safe to print: a password in the user part or in a password= parameter replaced by ***, even in a URL a parser refuses. */
export const maskDatabaseUrl = (url: string): string =>
  url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');

/** Whether an address carries a password (in its user part or as a password= parameter). */
export const databaseUrlHasPassword = (url: string): boolean => maskDatabaseUrl(url) !== url;

/** Whether two addresses name the same database (passwords and spelling aside). */
export function sameDatabase(a: string, b: string): boolean {
  const norm = (u: string): string => {
    try {
      const x = new URL(u);
      x.password = '';
      x.searchParams.delete('password');
      return x.toString();
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

/** The server an address names, for labels ("db.lab:5432"); the address itself (masked) when it does not parse. */
export function databaseHost(url: string): string {
  try {
    return new URL(url).host || maskDatabaseUrl(url);
  } catch {
    return maskDatabaseUrl(url);
  }
}
