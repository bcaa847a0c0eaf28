import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { TRACEPARENT_FIELD } from '../../shared/trace-carriers.js';

/**
 * The DocumentClient every repository uses. The endpoint is the SDK's business: it honours
 * AWS_ENDPOINT_URL_DYNAMODB (sls offline, DynamoDB Local), or pass a client configured for one.
 */
export function createDocumentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: {
      // Optional domain fields that are undefined are simply not stored, rather than failing the write.
      removeUndefinedValues: true,
      // Domain objects are plain data; a class instance reaching a repository is a bug to surface, not to flatten.
      convertClassInstanceToMap: false,
    },
  });
}

/** Puts the item unless one with its key exists; returns false (and writes nothing) when it does. */
export async function putIfAbsent(documents: DynamoDBDocumentClient, input: Omit<PutCommandInput, 'ConditionExpression'>): Promise<boolean> {
  try {
    await documents.send(new PutCommand({ ...input, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * An update's expression with the writer's `traceparent` set on the item (trace-carriers.ts), or
 * removed when the repository is bound to no hop, so the change it causes never names an older writer.
 */
export function tracedUpdate(
  clauses: { set?: string[]; add?: string[] },
  values: Record<string, unknown>,
  traceparent: string | undefined,
): { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> } {
  const set = [...(clauses.set ?? []), ...(traceparent === undefined ? [] : [`${TRACEPARENT_FIELD} = :${TRACEPARENT_FIELD}`])];
  const expression = [set.length > 0 && `SET ${set.join(', ')}`, clauses.add?.length && `ADD ${clauses.add.join(', ')}`, traceparent === undefined && `REMOVE ${TRACEPARENT_FIELD}`].filter(Boolean).join(' ');
  return { UpdateExpression: expression, ExpressionAttributeValues: traceparent === undefined ? values : { ...values, [`:${TRACEPARENT_FIELD}`]: traceparent } };
}
