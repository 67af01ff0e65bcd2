import pino, { type Logger } from 'pino';

type Destination = ReturnType<typeof pino.destination>;

const destinations = new WeakMap<Logger, Destination>();

export type LogFormat = 'json' | 'pretty';

/** JSON lines for machines (a pipe, a file, a log collector), readable lines in a terminal; LOG_FORMAT decides when set. */
export function resolveLogFormat(format: LogFormat | undefined, stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return format ?? (stdout.isTTY ? 'pretty' : 'json');
}

export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  // pino's default destination, made here so that drainLogger can reach it. Readable lines go to
  // the same destination, formatted in this thread (no transport worker), so draining works alike.
  const destination = pino.destination({ dest: 1, sync: false });
  const logger = pino(
    {
      level,
      redact: { paths: ['authorization', '*.authorization', 'token', '*.token'], censor: '[redacted]' },
    },
    format === 'pretty' ? prettyStream(destination) : destination,
  );
  destinations.set(logger, destination);
  return logger;
}

/**
 * pino-pretty's formatter in front of `destination`: each JSON line becomes a readable one
 * ("[12:00:01.234] INFO: Tertial API listening" with the other fields below it). Colours only in
 * a terminal, and not when NO_COLOR is set. Loaded only here, so JSON logging never pays for it.
 */
function prettyStream(destination: Destination): { write(line: string): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prettyFactory } = require('pino-pretty') as typeof import('pino-pretty');
  const pretty = prettyFactory({
    colorize: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss.l',
    // A request is one line ("request completed GET /api/v1/health 200 3 ms"); its headers stay in the JSON format.
    ignore: 'pid,hostname,req,res,responseTime',
    messageFormat: '{msg}{if req.method} {req.method} {req.url} {res.statusCode} {responseTime} ms{end}',
  });
  return { write: (line: string) => destination.write(pretty(line)) };
}

/**
 * Before exiting: lets the buffered lines reach stdout for at most `timeoutMs`, then makes sure
 * the exit cannot hang on them. pino flushes synchronously at exit, and that flush (sonic-boom 4)
 * retries a closed pipe (EPIPE) or a full one that nobody reads for ever. Log nothing after this.
 */
export async function drainLogger(logger: Logger, timeoutMs: number): Promise<void> {
  const destination = destinations.get(logger);
  if (!destination) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    destination.once('close', done);
    destination.once('error', done);
    try {
      destination.end();
    } catch {
      done();
    }
  });
  // Whatever did not get out in time is given up: nothing left for the exit handler to retry.
  destination.flushSync = () => undefined;
}
