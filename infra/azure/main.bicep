// MyEvents on Azure Functions: one Function App (Linux consumption, Node.js 22) with its storage
// account (host state and the bookings/events queues) and a serverless Cosmos DB account.
// Deploy: see README.md, section "Azure". Not validated against Azure from this project's machines
// (no network to Azure, no Bicep CLI): `az deployment group what-if` is the first thing to run.

@description('Prefix of every resource name; letters and digits, 3-11 characters.')
@minLength(3)
@maxLength(11)
param prefix string = 'myevents'

param location string = resourceGroup().location

@description('Cosmos DB database of the app.')
param databaseName string = 'myevents'

// The token issuer (README, Authentication), required and without defaults: without them every protected
// route would answer 500 (fail closed, but broken).
@description('Token issuer (the iss of accepted tokens), e.g. https://issuer.example/.')
@minLength(8)
param authIssuer string
@description('Audience (aud) accepted tokens must carry.')
@minLength(1)
param authAudience string
@description('JWKS endpoint of the issuer, e.g. https://issuer.example/.well-known/jwks.json.')
@minLength(8)
param authJwksUrl string

var suffix = uniqueString(resourceGroup().id)
var storageName = toLower('${prefix}${suffix}')
var queues = ['bookings', 'events']

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(storageName, 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The poison queues (<queue>-poison) are created by the Functions host on first use.
resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [ { locationName: location, failoverPriority: 0 } ]
    capabilities: [ { name: 'EnableServerless' } ]
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: databaseName
  properties: { resource: { id: databaseName } }
}

// Same definitions as adapters/azure/cosmos/containers.ts: /pk everywhere (derived from each document's
// own id, or the event's for bookings), TTL on without a default where documents carry their own ttl,
// and the leases container the change-feed triggers share (partitioned by /id, as the extension requires).
// bookings: the composite index a caller's bookings of an event are read by (`owner = @owner ORDER BY listPosition`).
var containers = [
  { name: 'events', partitionKey: '/pk', defaultTtl: null, compositeIndexes: [] }
  { name: 'bookings', partitionKey: '/pk', defaultTtl: -1, compositeIndexes: [ [ { path: '/owner', order: 'ascending' }, { path: '/listPosition', order: 'ascending' } ] ] }
  { name: 'players', partitionKey: '/pk', defaultTtl: -1, compositeIndexes: [] }
  { name: 'game-map', partitionKey: '/pk', defaultTtl: null, compositeIndexes: [] }
  { name: 'leases', partitionKey: '/id', defaultTtl: null, compositeIndexes: [] }
]

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: union({
      id: container.name
      partitionKey: { paths: [ container.partitionKey ], kind: 'Hash' }
    }, container.defaultTtl == null ? {} : { defaultTtl: container.defaultTtl }, empty(container.compositeIndexes) ? {} : {
      indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: [ { path: '/*' } ], compositeIndexes: container.compositeIndexes }
    })
  }
}]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${prefix}-plan-${suffix}'
  location: location
  sku: { name: 'Y1', tier: 'Dynamic' }
  kind: 'functionapp'
  properties: { reserved: true }
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'

resource functionApp 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-fn-${suffix}'
  location: location
  kind: 'functionapp,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'Node|22'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'QUEUE_CONNECTION', value: storageConnection }
        { name: 'BOOKINGS_QUEUE', value: 'bookings' }
        { name: 'EVENTS_QUEUE', value: 'events' }
        { name: 'COSMOS_CONNECTION', value: cosmos.listConnectionStrings().connectionStrings[0].connectionString }
        { name: 'COSMOS_DATABASE', value: databaseName }
        { name: 'AUTH_ISSUER', value: authIssuer }
        { name: 'AUTH_AUDIENCE', value: authAudience }
        { name: 'AUTH_JWKS_URL', value: authJwksUrl }
      ]
    }
  }
  dependsOn: [ sqlContainers, appQueues ]
}

output functionAppName string = functionApp.name
output apiBaseUrl string = 'https://${functionApp.properties.defaultHostName}'
