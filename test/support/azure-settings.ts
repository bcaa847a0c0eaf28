/** Placeholder app settings for loading the Azure build without the host: clients are created at load time and connect on first use only. */
export const placeholderAzureSettings = {
  COSMOS_CONNECTION: 'AccountEndpoint=https://127.0.0.1:9/;AccountKey=a2V5;',
  COSMOS_DATABASE: 'myevents',
  QUEUE_CONNECTION: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;',
  BOOKINGS_QUEUE: 'bookings',
  EVENTS_QUEUE: 'events',
};
