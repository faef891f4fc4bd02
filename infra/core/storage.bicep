metadata description = 'Host storage account: Functions host state, the Flex deployment package container and the app tables. Entra ID only.'

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Storage SKU.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS'])
param skuName string = 'Standard_LRS'

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Log Analytics workspace that receives the blob and table logs.')
param workspaceId string

@description('Also log every read (StorageRead). Off by default: the app reads its ledger on every job, which makes this the largest log by far.')
param logReads bool = false

@description('False when private endpoints carry all traffic (main.bicep privateNetworking).')
param publicNetworkAccess bool = true

@description('Tables the app uses (DESIGN section 5).')
param tableNames array = ['mappings', 'ledger', 'audit', 'watermarks', 'subscriptions']

resource storage 'Microsoft.Storage/storageAccounts@2025-08-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess ? 'Allow' : 'Deny'
    }
  }
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2025-08-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-08-01' = {
  parent: blobServices
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableServices 'Microsoft.Storage/storageAccounts/tableServices@2025-08-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-08-01' = [
  for tableName in tableNames: {
    parent: tableServices
    name: tableName
  }
]

// Writes and deletes of blobs (deployment packages, host state) and table rows (ledger, mappings): who changed
// what. Reads only on request (logReads).
var storageLogs = concat(
  [
    { category: 'StorageWrite', enabled: true }
    { category: 'StorageDelete', enabled: true }
  ],
  logReads ? [{ category: 'StorageRead', enabled: true }] : []
)

// 2021-05-01-preview is the current diagnostic settings API: the linter's only GA alternative, 2016-09-01, is
// the legacy per-service shape that cannot target a Log Analytics workspace this way.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobServices
  properties: {
    workspaceId: workspaceId
    logs: storageLogs
  }
}

// 2021-05-01-preview is the current diagnostic settings API: the linter's only GA alternative, 2016-09-01, is
// the legacy per-service shape that cannot target a Log Analytics workspace this way.
#disable-next-line use-recent-api-versions
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableServices
  properties: {
    workspaceId: workspaceId
    logs: storageLogs
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = deploymentContainer.name
