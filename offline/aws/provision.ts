import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QUEUE_MAX_DELIVERIES } from '../../functions/limits.js';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A CloudFormation resource as serverless.yml declares it (variables already resolved by the framework). */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export type CfnResources = Record<string, CfnResource>;

const ofType = (resources: CfnResources, type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** Logical id named by `{ 'Fn::GetAtt': [id, attribute] }`, if the value is one. */
export function getAttTarget(value: unknown): { id: string; attribute: string } | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string' ? { id: getAtt[0], attribute: getAtt[1] } : undefined;
}

/** Creates every AWS::DynamoDB::Table of the template in DynamoDB Local, if it does not exist yet. */
export async function ensureTables(client: DynamoDBClient, resources: CfnResources): Promise<string[]> {
  const created: string[] = [];
  for (const [, table] of ofType(resources, 'AWS::DynamoDB::Table')) {
    const properties = table.Properties as unknown as CreateTableCommandInput & { StreamSpecification?: { StreamViewType: string } };
    const input: CreateTableCommandInput = {
      TableName: properties.TableName,
      KeySchema: properties.KeySchema,
      AttributeDefinitions: properties.AttributeDefinitions,
      BillingMode: properties.BillingMode ?? 'PAY_PER_REQUEST',
      ...(properties.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes } : {}),
      ...(properties.StreamSpecification
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: properties.StreamSpecification.StreamViewType as 'NEW_AND_OLD_IMAGES' } }
        : {}),
    };
    try {
      await client.send(new CreateTableCommand(input));
      created.push(String(input.TableName));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  return created;
}

/**
 * The declared indexes an existing table lacks, as `<table>: <index>`: a data directory made before an
 * index was added to the template (the bookings `owner` index of issue 20). Not created here: items
 * written before would be missing from it (no backfill of their index keys), which would silently hide
 * them; `npm start` says so and how to start clean instead.
 */
export async function missingIndexes(client: DynamoDBClient, resources: CfnResources): Promise<string[]> {
  const missing: string[] = [];
  for (const [, table] of ofType(resources, 'AWS::DynamoDB::Table')) {
    const properties = table.Properties as unknown as CreateTableCommandInput;
    const declared = (properties.GlobalSecondaryIndexes ?? []).map((index) => String(index.IndexName));
    if (declared.length === 0) continue;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: properties.TableName }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const name of declared) if (!present.has(name)) missing.push(`${properties.TableName}: ${name}`);
  }
  return missing;
}

/**
 * Creates every AWS::SQS::Queue of the template in the local SQS server (dead-letter queues first, so
 * redrive policies can point at their ARNs). CreateQueue is idempotent for identical attributes.
 */
export async function ensureQueues(client: SQSClient, resources: CfnResources, overrides: { visibilityTimeout?: number | undefined } = {}): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  const arns = new Map<string, string>();
  const queues = ofType(resources, 'AWS::SQS::Queue').sort(([, a], [, b]) => Number(a.Properties?.['RedrivePolicy'] !== undefined) - Number(b.Properties?.['RedrivePolicy'] !== undefined));
  for (const [id, queue] of queues) {
    const properties = queue.Properties ?? {};
    const attributes: Record<string, string> = {};
    for (const name of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds']) {
      if (properties[name] !== undefined) attributes[name] = String(properties[name]);
    }
    if (overrides.visibilityTimeout !== undefined) attributes['VisibilityTimeout'] = String(overrides.visibilityTimeout);
    const redrive = properties['RedrivePolicy'] as { deadLetterTargetArn?: unknown; maxReceiveCount?: number } | undefined;
    if (redrive) {
      const target = getAttTarget(redrive.deadLetterTargetArn);
      const deadLetterTargetArn = target ? arns.get(target.id) : String(redrive.deadLetterTargetArn);
      attributes['RedrivePolicy'] = JSON.stringify({ deadLetterTargetArn, maxReceiveCount: redrive.maxReceiveCount ?? QUEUE_MAX_DELIVERIES });
    }
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: String(properties['QueueName'] ?? id), Attributes: attributes }));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    urls.set(id, String(QueueUrl));
    arns.set(id, String(Attributes?.['QueueArn']));
  }
  return urls;
}
