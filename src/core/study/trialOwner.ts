// Who runs a trial: host, process id and the process's start time, so a later process on the same host can tell
// at once whether the trial's runner is gone (a pid reused by another process does not count as alive).
// Storage-agnostic: the storages only keep the three fields.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { TrialOwner } from '../storage/types';

export type OwnerLiveness = 'alive' | 'gone' | 'unknown';

/**
 * A process start stamp that another process can recompute from the pid alone:
 * - linux:<boot id>:<start time in clock ticks since boot> (/proc/<pid>/stat, field 22): exact.
 * - ps:<lstart> (macOS and other Unixes with ps): to the second.
 * - none: nothing to compare; liveness is then "unknown" and the heartbeat decides.
 */
type StartStamp = string;

function linuxBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** State and start time (clock ticks since boot) of a Linux process, or null when there is no such process. */
function linuxProcStat(pid: number): { state: string; start: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], start: rest[19] };
}

function psStat(pid: number): { state: string; start: string } | null {
  const r = spawnSync('ps', ['-o', 'stat=', '-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000 });
  if (r.error || r.status !== 0) return null;
  const line = r.stdout.trim();
  if (!line) return null;
  const [state, ...start] = line.split(/\s+/);
  return { state, start: start.join(' ') };
}

function startStamp(pid: number): StartStamp | null {
  if (process.platform === 'linux') {
    const boot = linuxBootId();
    const stat = linuxProcStat(pid);
    return boot && stat ? `linux:${boot}:${stat.start}` : null;
  }
  if (process.platform !== 'win32') {
    const stat = psStat(pid);
    return stat ? `ps:${stat.start}` : null;
  }
  return null;
}

let self: TrialOwner | null = null;

/** A process of this host as a trial owner. */
export const ownerOf = (pid: number): TrialOwner => ({ host: os.hostname(), pid, start: startStamp(pid) ?? 'none' });

/** This process as a trial owner. */
export function currentOwner(): TrialOwner {
  self ??= ownerOf(process.pid);
  return self;
}

/**
 * Whether a trial's owner still runs. Only a process on this host can be checked; for another host, a legacy
 * trial without an owner, or a platform without start times, the answer is "unknown" (go by heartbeat).
 */
export function ownerLiveness(owner: TrialOwner | null, here: TrialOwner = currentOwner()): OwnerLiveness {
  if (!owner || owner.host !== here.host) return 'unknown';
  if (owner.pid === here.pid && owner.start === here.start) return 'alive';
  const [kind, ...parts] = owner.start.split(':');
  if (kind === 'linux' && process.platform === 'linux') {
    const boot = parts[0];
    if (boot !== linuxBootId()) return 'gone'; // the machine restarted since: every process of that boot is gone
    const stat = linuxProcStat(owner.pid);
    // Z (zombie) and X (dead): killed, not yet reaped by its parent.
    if (!stat || stat.state === 'Z' || stat.state === 'X') return 'gone';
    return stat.start === parts[1] ? 'alive' : 'gone';
  }
  if (kind === 'ps' && process.platform !== 'win32' && process.platform !== 'linux') {
    const stat = psStat(owner.pid);
    if (!stat || stat.state.startsWith('Z')) return 'gone';
    return stat.start === parts.join(':') ? 'alive' : 'gone';
  }
  // No start time to compare (Windows): a pid that no longer exists is gone; one that exists may be reused.
  try {
    process.kill(owner.pid, 0);
    return 'unknown';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'unknown';
  }
}

/** "pid 1234 on laptop" for messages. */
export const describeOwner = (o: TrialOwner): string => `pid ${o.pid} on ${o.host}`;
