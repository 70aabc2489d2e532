import { readFileSync, readdirSync } from 'node:fs';

// Processes by pid, read from /proc (Linux): what a runner started, counted by pid, process
// group and session, never by name.

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** The command line, for messages. */
  cmd: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces and parentheses: fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (a zombie has exited: not running).
    if (fields[0] === 'Z') return undefined;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      sid: Number(fields[3]),
      cmd,
    };
  } catch {
    return undefined;
  }
}

/** Every running process (zombies excluded). */
export function allProcesses(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== undefined);
}

/** `root`'s running descendants (children, their children…), `root` itself excluded. */
export function descendants(root: number, all = allProcesses()): ProcInfo[] {
  const out: ProcInfo[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}

/** Running processes of session `sid` (a runner started with setsid leads its own session). */
export const sessionMembers = (sid: number): ProcInfo[] =>
  allProcesses().filter((p) => p.sid === sid);

/** True while `pid` runs (a zombie counts as gone). */
export const isRunning = (pid: number): boolean => readProc(pid) !== undefined;
