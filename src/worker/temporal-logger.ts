// Routes the Temporal SDK's logs (worker, core, activity context) into Recur's logger, reshaped for a reader:
// no task tokens, worker lifecycle chatter at debug, and an expected activity failure as one line with its code.
import { ApplicationFailure, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from '../logging/create-logger.js';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

// The task token completes the activity from outside (a credential); the rest repeats what workflowId and
// activityType already say on every activity line.
const DROPPED = new Set(['taskToken', 'isLocal', 'namespace', 'taskQueue', 'activityId', 'workflowType']);
/** Attributes Temporal adds to every activity and workflow line: written after the event's own fields. */
const TEMPORAL_ATTRIBUTES = new Set(['activityType', 'workflowId', 'workflowRunId', 'runId', 'attempt']);

/** The failure types that are answers, not faults: a decline is a customer's card saying no. */
const EXPECTED_FAILURES = new Set(['ERR_GATEWAY_DECLINED']);

/** A Temporal `Logger` (for `Runtime.install({ logger })`) that writes through `logger`. */
export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const { error, sdkComponent, ...rest } = meta;
    // String keys only: the SDK's LogTimestamp symbol is pino's own `time` here.
    const fields: Record<string, unknown> = {};
    const temporal: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (DROPPED.has(key) || (key === 'attempt' && value === 1)) continue;
      (TEMPORAL_ATTRIBUTES.has(key) ? temporal : fields)[key] = value;
    }
    let pinoLevel: (typeof LEVELS)[LogLevel] = LEVELS[level];
    // The worker's state changes (six per run) and core's notes matter when debugging the SDK, not billing.
    if ((sdkComponent === 'worker' || sdkComponent === 'core') && pinoLevel === 'info') pinoLevel = 'debug';
    if (error instanceof ApplicationFailure) {
      Object.assign(fields, failureFields(error));
      if (message === 'Activity failed' && error.type && EXPECTED_FAILURES.has(error.type) && error.nonRetryable) {
        pinoLevel = 'info';
        message = 'activity declined';
      }
    } else if (error !== undefined) {
      fields.err = error;
    }
    logger[pinoLevel]({ ...fields, ...temporal }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/** An ApplicationFailure as a few fields: its type (our stable code), retryability, message and 2C2P code. */
function failureFields(failure: ApplicationFailure): Record<string, unknown> {
  const detail = failure.details?.[0] as { respCode?: unknown } | undefined;
  return {
    code: failure.type ?? undefined,
    respCode: typeof detail?.respCode === 'string' ? detail.respCode : undefined,
    nonRetryable: failure.nonRetryable,
    reason: failure.message,
  };
}
