// The subscription workflow's public surface: ids, messages, search attributes and the state it exposes.
// Imported by the workflow, the worker and the API; it holds no logic that touches I/O.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CancelResult,
  CheckoutResult,
  PaymentNotification,
  PlanChange,
  PlanChangeResult,
  RefundPolicy,
  RefundRecord,
  RefundRequest,
  SubscriptionStatus,
  SubscriptionView,
} from '../domain/subscription-model.js';

export * from '../domain/subscription-model.js';

/** Default task queue of the subscription worker. */
export const DEFAULT_TASK_QUEUE = 'recur-subscriptions';

/** Search attributes an operator filters on in the Temporal UI. */
export const MerchantIdAttribute = defineSearchAttributeKey('RecurMerchantId', SearchAttributeType.KEYWORD);
export const CustomerIdAttribute = defineSearchAttributeKey('RecurCustomerId', SearchAttributeType.KEYWORD);
export const SubscriptionStatusAttribute = defineSearchAttributeKey(
  'RecurSubscriptionStatus',
  SearchAttributeType.KEYWORD,
);
export const NextChargeDateAttribute = defineSearchAttributeKey('RecurNextChargeDate', SearchAttributeType.DATETIME);
export const SEARCH_ATTRIBUTES = [
  MerchantIdAttribute,
  CustomerIdAttribute,
  SubscriptionStatusAttribute,
  NextChargeDateAttribute,
];

export const paymentNotificationSignal = defineSignal<[PaymentNotification]>('paymentNotification');
export const checkoutUpdate = defineUpdate<CheckoutResult>('checkout');
export const changePlanUpdate = defineUpdate<PlanChangeResult, [PlanChange]>('changePlan');
export const cancelUpdate = defineUpdate<CancelResult, [{ refundPolicy?: RefundPolicy }]>('cancel');
export const refundUpdate = defineUpdate<RefundRecord, [RefundRequest]>('refund');
/** The operator's "try again now" for calls that need attention; answers the status after the attempt. */
export const retryUpdate = defineUpdate<{ status: SubscriptionStatus; attention: number }, [Record<string, never>]>(
  'retry',
);
export const stateQuery = defineQuery<SubscriptionView>('state');
/**
 * Test clocks (sandbox deployments only): the test clock now reads `nowMs`. Every wait of the subscription
 * re-reads how long is left, so due charges, grace periods, dunning windows and settlement polls pass.
 */
export const testClockSignal = defineSignal<[{ nowMs: number }]>('testClock');

/** Failure types the workflow raises to callers of its updates (ApplicationFailure.type). */
export const WorkflowFailureType = {
  invalidRequest: 'InvalidRequest',
  invalidState: 'InvalidState',
  gatewayRefused: 'GatewayRefused',
  checkoutFailed: 'CheckoutFailed',
} as const;
