import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';

/**
 * Type guards for the Lambda trigger payloads we handle. Each checks only what tells its shape apart
 * from the others (the rest is AWS's contract); one test runs every guard over every file in `events/aws/`.
 */

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty `Records` array whose every entry satisfies `isExpected`. */
function hasRecordsWhere(event: unknown, isExpected: (record: Record<string, unknown>) => boolean): boolean {
  if (!isRecord(event) || !Array.isArray(event['Records']) || event['Records'].length === 0) return false;
  return event['Records'].every((record: unknown) => isRecord(record) && isExpected(record));
}

/** API Gateway HTTP API, payload format 2.0: `version: "2.0"` and `requestContext.http`. */
export function isApiGatewayV2Event(event: unknown): event is APIGatewayProxyEventV2 {
  return isRecord(event) && event['version'] === '2.0' && isRecord(event['requestContext']) && isRecord(event['requestContext']['http']);
}

/**
 * API Gateway REST API proxy (payload format 1.0): `httpMethod`, `resource` and `requestContext`.
 * An HTTP API sending format 1.0 looks the same (it says `version: "1.0"`); only 2.0 is excluded.
 */
export function isApiGatewayV1Event(event: unknown): event is APIGatewayProxyEvent {
  return (
    isRecord(event) &&
    event['version'] !== '2.0' &&
    typeof event['httpMethod'] === 'string' &&
    typeof event['resource'] === 'string' &&
    isRecord(event['requestContext'])
  );
}

/** An SQS batch: at least one record, every record from `aws:sqs`. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  return hasRecordsWhere(event, (record) => record['eventSource'] === 'aws:sqs');
}

/** A DynamoDB Streams batch: at least one record, every record from `aws:dynamodb` with its `dynamodb` change. */
export function isDynamoDbStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  return hasRecordsWhere(event, (record) => record['eventSource'] === 'aws:dynamodb' && isRecord(record['dynamodb']));
}
