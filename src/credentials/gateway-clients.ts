// A gateway client per merchant, built per call from the merchant's own credentials (CredentialsProvider).
import {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
  type GatewayExchange,
} from '../gateway/client.js';
import type { CredentialsProvider } from './credentials-provider.js';
import { MissingCredentialsError } from './credential-errors.js';

/** What every merchant shares: 2C2P's base URLs, timeout, time zone and PaymentAction version. */
export type SharedGatewaySettings = Pick<
  GatewayClientOptions,
  'endpoints' | 'timeoutMs' | 'timeZone' | 'paymentActionVersion'
>;

/** Client factory by Recur's merchant id; MissingCredentialsError for a merchant without credentials. */
export type GatewayFor = (merchantId: string, observer?: (exchange: GatewayExchange) => void) => Promise<GatewayClient>;

/** The `gatewayFor` of the activities and the API: the merchant's 2C2P id and keys, the shared endpoints. */
export function gatewayClients(provider: CredentialsProvider, settings: SharedGatewaySettings): GatewayFor {
  return async (merchantId, observer) => {
    const credentials = await provider.credentialsFor(merchantId);
    if (!credentials) throw new MissingCredentialsError(merchantId);
    return createGatewayClient({
      ...settings,
      merchantId: credentials.gatewayMerchantId,
      keys: credentials.keys,
      observer,
    });
  };
}
