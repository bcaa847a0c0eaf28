import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { templateEventSources, type PluginLog, type ServerlessLike } from './serverless-framework.js';
import type { OfflineLambda } from './serverless-offline.js';
import { invocationLine, observePublished, queueMessageLabel } from './invocation-lines.js';
import { failedMessageIds, queueMappingSettings } from './queue-mapping.js';
import { startQueuePoller, type QueuePoller } from './queue-poller.js';

export interface OfflineQueues {
  /** The URLs of the queues that trigger a function (the ones whose messages the app still owes work for). */
  sourceQueueUrls: string[];
  stop(): Promise<void>;
}

/**
 * One poller per `sqs` event of every function, invoking it through serverless-offline's own Lambda
 * runner (the same bundles, environment and timeout as the HTTP functions). Replaces serverless-offline-sqs,
 * which deleted every message of a batch whatever `batchItemFailures` said.
 */
export async function startOfflineQueues(serverless: ServerlessLike, lambda: OfflineLambda, sqs: SQSClient, region: string, log: PluginLog, isBroken: (functionKey: string) => boolean = () => false): Promise<OfflineQueues> {
  const pollers: QueuePoller[] = [];
  const sourceQueueUrls: string[] = [];
  const warnSkipped = (functionKey: string) => log.warning(`offline-queues: ${functionKey}: only "arn: !GetAtt <Queue>.Arn" of a queue in resources is supported; skipped`);
  for (const { functionKey, definition, event: source, name: queueName } of templateEventSources(serverless, 'sqs', 'QueueName', warnSkipped)) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const settings = queueMappingSettings(source);
    lambda.create([{ functionKey, functionDefinition: definition }]);
    log.notice(`offline-queues: ${functionKey} <- ${queueName} (batch ${settings.batchSize}, ReportBatchItemFailures ${settings.reportBatchItemFailures})`);
    sourceQueueUrls.push(String(QueueUrl));
    pollers.push(
      startQueuePoller({
        sqs,
        queueUrl: String(QueueUrl),
        queueArn: String(Attributes?.['QueueArn']),
        region,
        settings,
        paused: () => isBroken(functionKey),
        invoke: async (records) => {
          const handler = lambda.get(functionKey);
          handler.setEvent({ Records: records });
          const { outcome, published, traceIds } = await observePublished(() => handler.runHandler());
          const failed = failedMessageIds(records, outcome, settings).size;
          const retryNote = `back on ${queueName} after its visibility timeout`;
          const line = invocationLine({ functionKey, noun: 'message', items: records.map(queueMessageLabel), failed, published, error: 'error' in outcome ? outcome.error : undefined, retryNote, traceIds });
          if (failed > 0) log.warning(line);
          else log.notice(line);
          return outcome;
        },
        onError: (error) => log.error(`offline-queues: ${functionKey}: ${error instanceof Error ? error.message : String(error)}`),
      }),
    );
  }
  return {
    sourceQueueUrls,
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
    },
  };
}
