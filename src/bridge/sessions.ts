// Who may use the bridge: launch keys (one use each, handed to the launching process only) and the session
// cookies they are exchanged for. Keys and session ids are 256-bit random; only their SHA-256 is kept, so a
// lookup takes the same time whatever the guess.
import crypto from 'node:crypto';

export interface Sessions {
  /** A new one-time launch key (goes into the printed launch address). */
  newLaunchKey(): string;
  /** Uses up a launch key: the Set-Cookie header value of a new session, or null for an unknown or used key. */
  exchange(key: string): string | null;
  /** True when the Cookie header carries one of our sessions. */
  isSignedIn(cookieHeader: string | undefined): boolean;
}

const digest = (value: string): string => crypto.createHash('sha256').update(value).digest('hex');
const randomKey = (): string => crypto.randomBytes(32).toString('base64url');

/** Cookie values from a Cookie header (name=value; name2=value2), every value of `name`. */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
}

/**
 * `cookieName` should name the port: browsers send 127.0.0.1's cookies to every port, so two servers on
 * one machine must not overwrite each other's session.
 */
export function createSessions(cookieName: string): Sessions {
  const launchKeys = new Set<string>();
  const sessions = new Set<string>();
  return {
    newLaunchKey() {
      const key = randomKey();
      launchKeys.add(digest(key));
      return key;
    },
    exchange(key) {
      const hash = digest(key);
      if (!launchKeys.delete(hash)) return null;
      const session = randomKey();
      sessions.add(digest(session));
      // No Max-Age: the session ends with the browser; no Secure: plain http on loopback.
      return `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
    },
    isSignedIn(header) {
      return cookieValues(header, cookieName).some((value) => sessions.has(digest(value)));
    },
  };
}
