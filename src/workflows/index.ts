// The workflow bundle's entry point: every workflow the worker runs.
export { subscriptionWorkflow } from './subscription.js';
export { webhookDeliveryWorkflow } from './webhook-delivery.js';
