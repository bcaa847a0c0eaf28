/** One queue message as every queue adapter hands it to the core (SQS record, Storage Queue item, Pub/Sub message). */
export interface QueueMessage {
  /** The platform's message id: for logs and partial-batch reports. */
  id: string;
  /** The raw message text: a JSON domain-event envelope. */
  body: string;
  /** 1 on first delivery. */
  attempt: number;
}

/** Handles one message; throws to have this message (only) retried and eventually dead-lettered. */
export type MessageHandler<Deps> = (message: QueueMessage, deps: Deps) => Promise<void>;
