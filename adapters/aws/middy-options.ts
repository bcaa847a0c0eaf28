/**
 * How every Lambda handler is wrapped in middy (the wrapper users add their middlewares to).
 * `timeoutEarlyInMillis: 0` turns off middy's early timeout: it raced every invocation against a timer
 * (half of middy's 1.4 µs per call, BENCHMARKS.md) only to throw its own error 5 ms before Lambda's
 * timeout, which fails the invocation the same way (HTTP 5xx, the batch retried).
 */
export const LAMBDA_WRAPPER_OPTIONS = { timeoutEarlyInMillis: 0 } as const;
