/**
 * For logs only (never for responses): name, message, stack, the typed errors' `code` and field
 * `details` (what makes a poison message findable), and the cause chain.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const field of ['code', 'details'] as const) {
    if (field in error) described[field] = (error as Error & Record<typeof field, unknown>)[field];
  }
  if (error.cause !== undefined) described['cause'] = describeError(error.cause);
  return described;
}
