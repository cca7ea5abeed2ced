// The Temporal SDK's own metrics (workflow and activity task latencies, slots, polls, sticky cache) through
// the Rust core's Prometheus exporter, on a port of its own: the core serves it, not Node.
import type { RuntimeOptions } from '@temporalio/worker';

/**
 * `Runtime.install` options that serve the SDK's metrics at http://0.0.0.0:`port`/metrics, named as
 * Prometheus expects (temporal_ prefix, _total counters, durations in seconds with the unit in the name);
 * none when `port` is undefined (TEMPORAL_METRICS_PORT=off).
 */
export function temporalMetricsTelemetry(port: number | undefined): Pick<RuntimeOptions, 'telemetryOptions'> {
  if (port === undefined) return {};
  return {
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `0.0.0.0:${port}`,
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  };
}
