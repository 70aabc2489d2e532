import { writeSync } from 'node:fs';

export interface BatchedDestinationOptions {
  /** File descriptor to write to (default 1, stdout). */
  fd?: number;
  /** Written at once when the buffer grows past this many characters (default 64 KiB). */
  maxBufferChars?: number;
}

/** A pino destination (`write(line)`) with an explicit flush. */
export interface BatchedDestination {
  write(line: string): void;
  /** Writes everything buffered now, synchronously; `cb` (pino's flush callback) after. */
  flush(cb?: (err?: Error) => void): void;
  /** Stops flushing on exit (tests that create many destinations). */
  close(): void;
}

// A blocked pipe (the reader is slow) answers EAGAIN: wait a little and retry, as pino's
// own synchronous destination does, rather than drop lines.
const sleepMs = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EBUSY') sleepMs(1);
      else if (code === 'EPIPE')
        return; // the reader is gone: nothing left to write to
      else throw err;
    }
  }
}

// One `exit` listener for every destination of the process (tests create many loggers).
const live = new Set<() => void>();
let exitHooked = false;
const flushAllOnExit = (flush: () => void): void => {
  live.add(flush);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const f of live) f();
  });
};

/**
 * Log lines written to a buffer and sent with one write(2) per event-loop turn (or whenever
 * the buffer passes `maxBufferChars`) instead of one per line: under load, the lines of every
 * request finishing in one turn go out together. No thread pool and no write in flight: a
 * flush is a synchronous write of what is buffered, so flushing on exit is complete.
 *
 * No line is lost on a graceful or fatal exit: the process's `exit` event flushes (the
 * lifecycle's shutdown and the crash handlers end in process.exit; an uncaught exception
 * without handlers emits `exit` too). What is lost on SIGKILL or a native crash is at most one
 * turn's lines — a synchronous destination loses nothing there, which is the trade.
 */
export function createBatchedDestination(opts: BatchedDestinationOptions = {}): BatchedDestination {
  const fd = opts.fd ?? 1;
  const max = opts.maxBufferChars ?? 64 * 1024;
  let buffer = '';
  let scheduled = false;

  const flushNow = (): void => {
    scheduled = false;
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    writeAll(fd, text);
  };
  flushAllOnExit(flushNow);

  return {
    write(line) {
      buffer += line;
      if (buffer.length >= max) flushNow();
      else if (!scheduled) {
        scheduled = true;
        // After this turn's I/O callbacks: every line logged in the turn goes in one write.
        setImmediate(flushNow);
      }
    },
    flush(cb) {
      try {
        flushNow();
        cb?.();
      } catch (err) {
        if (cb) cb(err as Error);
        else throw err;
      }
    },
    close() {
      flushNow();
      live.delete(flushNow);
    },
  };
}
