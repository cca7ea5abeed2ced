// A merchant's available balance at 2C2P, through the balance inquiry the composition root provides.
import type { MerchantBalance } from '../deps.js';
import { ProblemError } from '../problem.js';

/** Gateway errors carry a stable `code` (src/gateway/errors.ts); matched by value, not class, across modules. */
function isGatewayError(error: unknown): error is { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_GATEWAY_');
}

/** The balance of `merchantId`, which must be the API key's merchant (404 otherwise, like any other merchant's data). */
export async function merchantBalance(
  balanceInquiry: (merchantId: string) => Promise<MerchantBalance | undefined>,
  callerMerchantId: string,
  merchantId: string,
): Promise<MerchantBalance & { merchantId: string }> {
  const notFound = () => new ProblemError({ kind: 'not-found', detail: `no merchant ${merchantId} for this API key` });
  if (merchantId !== callerMerchantId) throw notFound();
  let balance: MerchantBalance | undefined;
  try {
    balance = await balanceInquiry(merchantId);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new ProblemError({
      kind: 'gateway-error',
      detail: `the balance inquiry failed (${error.code})`,
      cause: error,
    });
  }
  if (!balance) throw notFound();
  return { merchantId, availableBalance: balance.availableBalance, currency: balance.currency };
}
