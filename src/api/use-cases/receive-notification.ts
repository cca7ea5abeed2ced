// A 2C2P backend notification: verified with the merchant's HS256 secret, stored once, signalled to its workflow.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import {
  findSubscriptionForNotification,
  notificationBelongsToAnotherMerchant,
  recordNotification,
} from '../../db/index.js';
import { paymentOutcome } from '../../domain/payment-outcome.js';
import { peekClaims, verifyHs256Payload } from '../../gateway/envelopes/hs256.js';
import {
  paymentNotificationSignal,
  subscriptionWorkflowId,
  type PaymentNotification,
} from '../../workflows/definitions.js';
import { toPaymentNotification } from '../../workflows/payment-notification.js';
import { ProblemError } from '../problem.js';
import { withAlphaCurrency } from './notification-currency.js';

/** What became of an accepted notification. */
export type NotificationOutcome = 'signalled' | 'subscription-ended' | 'unknown-subscription';

export interface NotificationDeps {
  temporal: Client;
  pool: pg.Pool;
  /** The merchant 2C2P calls `gatewayMerchantId`: Recur's id for it and its HS256 secret (ApiDeps). */
  notificationMerchant(gatewayMerchantId: string): Promise<NotificationMerchant | undefined>;
  log: FastifyBaseLogger;
}

/** Whose notification it is: Recur's merchant id and the secret 2C2P signs that merchant's notifications with. */
export interface NotificationMerchant {
  merchantId: string;
  secretKey: Uint8Array;
}

/** One message for every way a token can fail, so a forger learns nothing about which check stopped it. */
const rejected = () =>
  new ProblemError({ kind: 'malformed-request', detail: 'the payload is not a valid 2C2P notification' });

/** The merchantID claim of a JWT, read without verifying it (only to choose the secret that verifies it). */
export function unverifiedMerchantId(token: string): string | undefined {
  let merchantId: unknown;
  try {
    merchantId = peekClaims(token).merchantID;
  } catch {
    return undefined;
  }
  return typeof merchantId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(merchantId) ? merchantId : undefined;
}

async function verify(
  deps: NotificationDeps,
  token: string,
): Promise<{ merchantId: string; claims: Record<string, unknown>; notification: PaymentNotification }> {
  // 2C2P's merchant id, read without trust only to choose the secret that must then verify the token.
  const gatewayMerchantId = unverifiedMerchantId(token);
  if (!gatewayMerchantId) throw rejected();
  const merchant = await deps.notificationMerchant(gatewayMerchantId);
  if (!merchant) throw rejected();
  let claims: Record<string, unknown>;
  try {
    claims = await verifyHs256Payload(token, merchant.secretKey);
  } catch {
    throw rejected();
  }
  // The verified claims must name the merchant whose secret verified them.
  if (claims.merchantID !== gatewayMerchantId) throw rejected();
  try {
    const notification = withAlphaCurrency(toPaymentNotification(claims), deps.log);
    return { merchantId: merchant.merchantId, claims, notification };
  } catch {
    throw rejected();
  }
}

/**
 * Verifies, stores (deduplicated by the token's SHA-256) and signals a notification. A duplicate is signalled
 * again: the workflow ignores invoices it has already recorded, and a crash between storing and signalling
 * must not lose the signal when 2C2P retries.
 */
export async function receiveNotification(deps: NotificationDeps, token: string): Promise<NotificationOutcome> {
  const { merchantId, claims, notification } = await verify(deps, token);
  const { invoiceNo, respCode } = notification;
  const subscription = await findSubscriptionForNotification(deps.pool, merchantId, notification);
  // Signed by one merchant, naming another's invoice: refused before anything is stored or signalled.
  if (!subscription && (await notificationBelongsToAnotherMerchant(deps.pool, merchantId, notification))) {
    deps.log.warn({ merchantId, invoiceNo }, "notification refused: it names another merchant's invoice");
    throw rejected();
  }
  const stored = await recordNotification(deps.pool, {
    rawToken: token,
    merchantId,
    invoiceNo,
    respCode,
    payload: claims,
    subscriptionId: subscription?.id ?? null,
  });
  const log = deps.log.child({ merchantId, invoiceNo, respCode, duplicate: !stored.inserted });
  if (!subscription) {
    // Answered 200 all the same: 2C2P would otherwise retry a notification no workflow can take.
    log.warn('notification for an invoice of no known subscription');
    return 'unknown-subscription';
  }
  try {
    await deps.temporal.workflow
      .getHandle(subscriptionWorkflowId(merchantId, subscription.id))
      .signal(paymentNotificationSignal, notification);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    log.warn({ subscriptionId: subscription.id }, 'notification for a subscription whose workflow has ended');
    return 'subscription-ended';
  }
  // The workflow records the charge (and logs it); this line says 2C2P's word arrived and was passed on.
  log.info({ subscriptionId: subscription.id, outcome: paymentOutcome(respCode) }, 'payment notification received');
  return 'signalled';
}
