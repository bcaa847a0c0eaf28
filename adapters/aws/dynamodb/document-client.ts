import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery, PutCommand, type PutCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

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

/** Every item a query matches, following LastEvaluatedKey across 1 MB pages. */
export async function queryAll(documents: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: documents }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** Every item of one partition, strongly consistent (the ports promise read-your-writes). */
export function queryPartition(documents: DynamoDBDocumentClient, tableName: string, pk: string): Promise<Record<string, unknown>[]> {
  return queryAll(documents, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
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
