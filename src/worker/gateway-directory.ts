// Which 2C2P credentials serve which merchant: this deployment's one configured merchant.
import type { Config } from '../config.js';
import { createGatewayClient, type GatewayClient, type GatewayExchange } from '../gateway/client.js';

/** A client factory for the configured merchant; any other merchant is a caller error (not retryable). */
export function gatewayDirectory(config: Config): (merchantId: string, observer?: (e: GatewayExchange) => void) => GatewayClient {
  const { merchantId, keys, endpoints, timeoutMs } = config.gateway;
  return (requested, observer) => {
    if (requested !== merchantId) throw new TypeError(`no 2C2P credentials for merchant ${requested}`);
    return createGatewayClient({ merchantId, keys, endpoints, timeoutMs, observer });
  };
}
