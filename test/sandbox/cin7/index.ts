export * from './simulator.js';
export type * from './state.js';
export { buildWebhookPayload, maxFailedDeliveries } from './webhooks.js';
export { dateOnly, dayMonthYear, isoNoZone, isoNoZoneTrimmed, isoZ, midnight } from './render.js';
