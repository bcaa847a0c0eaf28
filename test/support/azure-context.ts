import azf, { type InvocationContext, type InvocationContextInit } from '@azure/functions';

/** An InvocationContext as the host passes it, with a quiet log unless `logHandler` is given. */
export function invocationContext(init: InvocationContextInit = {}): InvocationContext {
  return new azf.InvocationContext({ functionName: 'myevents-test-fn', invocationId: '3f1c8a52-4d7e-4b8e-9a1f-5c2d7e8b9a10', logHandler: () => undefined, ...init });
}
