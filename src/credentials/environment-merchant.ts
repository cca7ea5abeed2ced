// The one-merchant shortcut: the TWOC2P_* merchant of the configuration, and the settings every merchant shares.
import { gatewayConfig, type Config } from '../config.js';
import type { SharedGatewaySettings } from './gateway-clients.js';
import type { MerchantCredentials } from './merchant-credentials.js';

/** The TWOC2P_* merchant as credentials: its id is both Recur's and 2C2P's. */
export function environmentMerchant(config: Config): MerchantCredentials {
  const { merchantId, keys } = config.gateway;
  return { merchantId, gatewayMerchantId: merchantId, keys, keyVersion: 0 };
}

/** 2C2P's base URLs, timeout, time zone and PaymentAction version: the same for every merchant of a deployment. */
export function sharedGatewaySettings(config: Config): SharedGatewaySettings {
  const { endpoints, timeoutMs, timeZone, paymentActionVersion } = gatewayConfig(config);
  return { endpoints, timeoutMs, timeZone, paymentActionVersion };
}
