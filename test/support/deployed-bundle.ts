/**
 * The AsyncLocalStorages a deployed bundle's code makes, other than the AWS SDK's own (issue 22: the hop is
 * passed explicitly; an AsyncLocalStorage, once used, turns node's promise hooks on for every promise of the
 * process). The SDK's, in @aws/lambda-invoke-store (its recursion detection), is imported lazily
 * (`await import("node:async_hooks")`) and made only when AWS_LAMBDA_MAX_CONCURRENCY says the instance serves
 * concurrent invocations. Returns each other use, with the text around it, so a failure shows whose it is.
 */
export function asyncLocalStoragesOf(bundle: string): string[] {
  const found: string[] = [];
  for (const match of bundle.matchAll(/AsyncLocalStorage/g)) {
    const around = bundle.slice(Math.max(0, match.index - 200), match.index + 40);
    const theSdks = around.includes('InvokeStoreMulti') && around.includes('import("node:async_hooks")');
    if (!theSdks) found.push(around);
  }
  return found;
}
