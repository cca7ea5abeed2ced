// Which 2C2P credentials serve which merchant: this deployment's one configured merchant.
import { createGatewayClient, type GatewayClient, type GatewayClientOptions, type GatewayExchange } from './client.js';

/** The client options one merchant's credentials give (src/config.ts gatewayConfig). */
export type MerchantGatewaySettings = Pick<
  GatewayClientOptions,
  'merchantId' | 'keys' | 'endpoints' | 'timeoutMs' | 'timeZone' | 'paymentActionVersion'
>;

/** A client factory for the configured merchant; any other merchant is a caller error (not retryable). */
export function gatewayDirectory(
  settings: MerchantGatewaySettings,
): (merchantId: string, observer?: (e: GatewayExchange) => void) => GatewayClient {
  return (requested, observer) => {
    if (requested !== settings.merchantId) throw new TypeError(`no 2C2P credentials for merchant ${requested}`);
    return createGatewayClient({ ...settings, observer });
  };
}
