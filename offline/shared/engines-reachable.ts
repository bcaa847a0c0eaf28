/** Whether anything answers HTTP at `endpoint` within `timeoutMs` (any status counts: the engines answer 400 to a bare GET). */
export async function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** The local engines do not answer: a message for the person at the terminal, not a stack trace. */
export class EnginesMissingError extends Error {
  override readonly name = 'EnginesMissingError';
}

/**
 * Fails at once, saying what to run, when the local engines are not there: `npx sls offline start`
 * typed alone (what serverless-offline users try first) used to print ECONNREFUSED and hang.
 */
export async function assertEnginesAnswer(engines: { dynamodbEndpoint: string; sqsEndpoint: string }, timeoutMs = 3_000): Promise<void> {
  const missing = [
    ...((await answers(engines.dynamodbEndpoint, timeoutMs)) ? [] : [`DynamoDB Local at ${engines.dynamodbEndpoint}`]),
    ...((await answers(engines.sqsEndpoint, timeoutMs)) ? [] : [`SQS at ${engines.sqsEndpoint}`]),
  ];
  if (missing.length > 0) {
    throw new EnginesMissingError(`sls offline needs ${missing.join(' and ')}, and nothing answers there. Run \`npm start\` instead: it starts them, then sls offline.`);
  }
}
