metadata description = 'Service Bus namespace (Entra ID only) with the session-enabled, de-duplicating sync-jobs queue.'

@description('Namespace name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags object = {}

@description('Name of the sync-jobs queue (app setting SYNC_QUEUE_NAME).')
param queueName string

@description('False when a private endpoint carries all traffic (main.bicep privateNetworking); that needs Premium.')
param publicNetworkAccess bool = true

@description('Log Analytics workspace that receives the namespace logs.')
param workspaceId string

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard is the lowest tier with sessions and duplicate detection; private endpoints need Premium.
  sku: publicNetworkAccess
    ? {
        name: 'Standard'
        tier: 'Standard'
      }
    : {
        name: 'Premium'
        tier: 'Premium'
        capacity: 1
      }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
  }
}

// requiresSession and requiresDuplicateDetection cannot be changed after the queue exists.
resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    // Wide enough to absorb a webhook and the next poll (15 min) delivering the same record version.
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    maxDeliveryCount: 10
    lockDuration: 'PT5M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

// Operational logs: entity create, update and delete. (Category groups need a preview API version the linter
// rejects as stale, so the category is named.)
// 2021-05-01-preview is the current diagnostic settings API: the linter's only GA alternative, 2016-09-01, is
// the legacy per-service shape that cannot target a Log Analytics workspace this way.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'OperationalLogs'
        enabled: true
      }
    ]
  }
}

// The endpoint is https://<namespace>.<cloud's Service Bus suffix>:443/; environment() has no Service Bus
// suffix, so the host is read from the namespace itself rather than spelt out (sovereign clouds differ).
var serviceBusHost = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]

output id string = namespace.id
output name string = namespace.name
output queueId string = queue.id
output queueName string = queue.name
output fullyQualifiedNamespace string = serviceBusHost
