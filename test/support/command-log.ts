import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LoggedCommand {
  /** `QueryCommand`, `BatchGetItemCommand`, ... */
  command: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}

/**
 * Records every command a DynamoDB client (and the DocumentClients built on it) sends, with its
 * output, so tests can assert on what was read: items per page, and that no Scan was ever sent.
 */
export function recordCommands(client: DynamoDBClient): LoggedCommand[] {
  const log: LoggedCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      log.push({ command: String(context.commandName), input: args.input as unknown as Record<string, unknown>, output: result.output as unknown as Record<string, unknown> });
      return result;
    },
    { step: 'initialize', name: 'testCommandLog' },
  );
  return log;
}

/** Items a set of commands read from the table or an index: Query and Scan scanned counts, GetItem and BatchGetItem items. */
export function itemsRead(commands: LoggedCommand[]): number {
  return commands.reduce((total, { command, output }) => {
    if (command === 'QueryCommand' || command === 'ScanCommand') return total + Number(output['ScannedCount'] ?? 0);
    if (command === 'GetItemCommand') return total + (output['Item'] === undefined ? 0 : 1);
    if (command === 'BatchGetItemCommand') {
      const responses = (output['Responses'] ?? {}) as Record<string, unknown[]>;
      return total + Object.values(responses).reduce((sum, items) => sum + items.length, 0);
    }
    return total;
  }, 0);
}
