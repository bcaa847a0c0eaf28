import * as z from 'zod/mini';
import '../domain/zod-locale.js';

/**
 * The body of every error answer (adapters/shared/error-response.ts builds it, the API description
 * states it from this schema): a stable `code`, a message safe to show, the offending fields, and the
 * request id that the `x-request-id` header and the log lines carry too.
 */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.minLength(1), z.meta({ examples: ['VALIDATION_FAILED', 'NOT_FOUND', 'INSUFFICIENT_SEATS'] })),
    message: z.string(),
    details: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
    requestId: z.string(),
    /** The W3C trace id of the request (the `traceresponse` header's), to find its trace. */
    traceId: z.optional(z.string().check(z.regex(/^[0-9a-f]{32}$/))),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
