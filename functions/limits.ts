/** Deliveries of one message before it goes to its queue's dead letter (SQS maxReceiveCount, maxDequeueCount, maxDeliveryAttempts). */
export const QUEUE_MAX_DELIVERIES = 5;

/** Retries of a failed change-stream batch before it is given up (to a failure queue where the platform has one). */
export const STREAM_MAX_RETRIES = 5;

/** How long an Idempotency-Key of `POST /events/{id}/bookings` answers with its first booking (each engine's TTL then deletes it). */
export const IDEMPOTENCY_KEY_LIFETIME_SECONDS = 24 * 60 * 60;
