// Turns each 2C2P exchange the gateway client reports into the gateway call metrics.
import type { GatewayExchange } from '../gateway/client.js';
import type { RecurMetrics } from '../metrics/recur-metrics.js';

/** A respCode as 2C2P writes them (0000, 4051, 00, RP…); anything else is not used as a label value. */
const RESP_CODE = /^[A-Za-z0-9]{1,8}$/;

/**
 * The result label of an exchange: 2C2P's respCode when an answer was decoded (a decline included), else the
 * error code of the failure (ERR_GATEWAY_TIMEOUT, ERR_GATEWAY_UNAVAILABLE, …). Both come from fixed tables,
 * so the label's values stay few.
 */
export function gatewayResultOf(exchange: GatewayExchange): string {
  const respCode = (exchange.response as { respCode?: unknown } | undefined)?.respCode;
  if (typeof respCode === 'string' && RESP_CODE.test(respCode)) return respCode;
  if (exchange.error) return exchange.error.code;
  return typeof respCode === 'string' ? 'unrecognised' : 'no_code';
}

/** Counts one exchange and observes its duration. */
export function observeGatewayExchange(metrics: RecurMetrics, exchange: GatewayExchange): void {
  metrics.gatewayCalls.inc({ operation: exchange.operation, result: gatewayResultOf(exchange) });
  metrics.gatewayCallDuration.observe({ operation: exchange.operation }, exchange.durationMs / 1000);
}
