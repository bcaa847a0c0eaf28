import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';

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
