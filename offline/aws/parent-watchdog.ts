/**
 * Runs inside sls offline when `npm start` started it. If the start process disappears without stopping
 * us (SIGKILL, OOM), nothing would stop sls offline and DynamoDB Local: they would keep the ports, serve
 * without SQS and make the next `npm start` fail. So we stop DynamoDB Local (its pid comes in the
 * environment) and exit as soon as our parent is gone.
 */
export function watchParent(options: { dynamodbPid: number | undefined; log(message: string): void; intervalMs?: number }): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    if (options.dynamodbPid !== undefined) {
      try {
        process.kill(options.dynamodbPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // Stopping comes first: our output went to the dead parent through a pipe, so writing can fail.
    try {
      options.log(`npm start (pid ${parent}) is gone; stopped DynamoDB Local, stopping sls offline`);
    } catch {
      // nobody is reading
    }
    process.exit(1);
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
