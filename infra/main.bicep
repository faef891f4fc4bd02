metadata description = '''cin7-bc-connector: Flex Consumption function app with a user-assigned identity, Service Bus
(sessions + duplicate detection), host storage with the app tables, Key Vault (RBAC), Application Insights,
alerts and a workbook.

Deploy with `azd up` (main.parameters.json) or, into an existing resource group, with
`az deployment group create -g <rg> -f infra/main.bicep -p infra/main.example.bicepparam`.

After the first deployment, seed these Key Vault secrets (whoever does it needs Key Vault Secrets Officer
on the vault; the template grants no human any role): cin7-account-id, cin7-application-key,
cin7-webhook-secret, bc-client-state, and bc-client-secret unless bcUseManagedIdentityFederation is true.'''

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------- naming

@minLength(1)
@maxLength(64)
@description('Environment name (azd AZURE_ENV_NAME); seeds the unique resource names and the azd-env-name tag.')
param environmentName string

@description('Azure region for all resources.')
@metadata({ azd: { type: 'location' } })
param location string = resourceGroup().location

@description('Key Vault name override. Vault names stay reserved for 90 days after deletion (purge protection), so a redeployment after deleting the vault needs a new name.')
@maxLength(24)
param keyVaultName string = ''

@description('Extra tags applied to every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------- connector

@description('Cin7 Core API base URL.')
param cin7BaseUrl string = 'https://inventory.dearsystems.com/ExternalApi/v2/'

@description('Entra tenant id of the Business Central tenant.')
param bcTenantId string

@description('Business Central environment name, e.g. production or sandbox.')
param bcEnvironment string

@description('Business Central company id (GUID).')
param bcCompanyId string

@description('Client id of the Entra app registration that has API access to Business Central.')
param bcClientId string

@description('Business Central API base URL.')
param bcApiBaseUrl string = 'https://api.businesscentral.dynamics.com/v2.0'

@description('Use a federated credential from the managed identity instead of the bc-client-secret for BC.')
param bcUseManagedIdentityFederation bool = false

@description('Name of the session-enabled Service Bus queue for sync jobs.')
@minLength(1)
@maxLength(260)
param syncQueueName string = 'sync-jobs'

@description('Cin7 purchase Approach values that qualify for a BC invoice, comma-separated.')
param eligibleApproaches string = 'INVOICE,STOCK'

@description('How Cin7 invoice lines become BC lines (see the app documentation for the accepted values).')
param lineMode string = 'account'

@description('Largest accepted difference between the BC draft total and the Cin7 invoice total (decimal, as text).')
param amountTolerance string = '0.01'

@description('Create a BC vendor when a Cin7 supplier has no match.')
param autoCreateVendors bool = false

@description('Which system is the master for vendor / supplier data.')
param vendorMaster string = 'cin7'

@description('NCRONTAB (UTC, 6 fields) for the Cin7 poll.')
param pollCin7Schedule string = '0 */15 * * * *'

@description('NCRONTAB (UTC, 6 fields) for the BC poll.')
param pollBcSchedule string = '0 */15 * * * *'

@description('NCRONTAB (UTC, 6 fields) for renewing BC subscriptions (they expire after 3 days).')
param renewSubscriptionsSchedule string = '0 0 */6 * * *'

@description('NCRONTAB (UTC, 6 fields) for re-activating Cin7 webhooks Cin7 switched off.')
param checkWebhooksSchedule string = '0 30 * * * *'

@description('NCRONTAB (UTC, 6 fields) for counting open and stuck records (workbook, stuck-records alert).')
param openRecordsSnapshotSchedule string = '0 */15 * * * *'

// ---------------------------------------------------------------------------------------------- platform

@description('Flex Consumption instance memory in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// The cap applies per scale group (the HTTP functions together, every other function on its own; Azure
// Functions docs, event-driven-scaling.md "Limit scale-out": lowest value 1, default 100). Sync jobs are bound by
// Cin7's 60 calls a minute for the whole app (shared through storage) and BC's 5 concurrent requests per user:
// one instance keeps up with that (bench throughputRatio), so extra instances would only queue on the budget.
@description('Flex Consumption maximum instance count per scale group. 4 leaves headroom for recycling instances; more buys no throughput (Cin7 allows 60 calls a minute for the whole app).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 4

@description('Log Analytics retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('E-mail address that receives alerts; empty means no action group (alerts still show in the portal).')
param alertEmail string = ''

@description('Backlog alert: active messages that must stay on the queue for the whole backlog window.')
@minValue(1)
param backlogMessageThreshold int = 50

@description('Backlog alert window.')
@allowed(['PT15M', 'PT30M', 'PT1H'])
param backlogWindow string = 'PT1H'

@description('Operator console sign-in: client id of the Entra app registration with the Console.Reader and Console.Operator app roles (README "Operator console"). Empty: App Service Authentication stays off and the console API refuses every call; the admin API keeps working with a function key.')
param consoleClientId string = ''

@description('Entra tenant of the console app registration; empty: the tenant of this deployment.')
param consoleTenantId string = ''

@description('Token audiences the console sign-in accepts; empty: the client id and api://<client id>.')
param consoleAllowedAudiences array = []

@description('Private networking for customers who require it: VNet integration for the app, private endpoints for storage, Service Bus and Key Vault, and public network access off on all three. Service Bus moves to Premium (lower tiers have no private endpoints). The app\'s own HTTPS endpoint stays public: Cin7 webhooks and BC notifications come from the internet.')
param privateNetworking bool = false

// ---------------------------------------------------------------------------------------------- resources

var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName, application: 'cin7-bc-connector' })
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
// Names are computed here, not read from module outputs, so What-If can predict every resource id.
var identityName = 'id-${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var serviceBusNamespaceName = 'sb-${resourceToken}'
var effectiveKeyVaultName = empty(keyVaultName) ? 'kv-${resourceToken}' : keyVaultName

module identity 'core/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: allTags
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !privateNetworking
  }
}

module serviceBus 'core/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: serviceBusNamespaceName
    location: location
    tags: allTags
    queueName: syncQueueName
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !privateNetworking
  }
}

module keyVault 'core/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: effectiveKeyVaultName
    location: location
    tags: allTags
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !privateNetworking
  }
}

module network 'core/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    namePrefix: 'cin7bc-${resourceToken}'
    location: location
    tags: allTags
    storageAccountId: storage.outputs.id
    serviceBusNamespaceId: serviceBus.outputs.id
    serviceBusHost: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultId: keyVault.outputs.id
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    identityName: identityName
    storageAccountName: storageAccountName
    serviceBusNamespaceName: serviceBusNamespaceName
    queueName: syncQueueName
    keyVaultName: effectiveKeyVaultName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [identity, storage, serviceBus, keyVault, monitoring]
}

module functionApp 'app/function.bicep' = {
  name: 'functionapp'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    syncQueueName: serviceBus.outputs.queueName
    keyVaultUri: keyVault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    cin7BaseUrl: cin7BaseUrl
    bcTenantId: bcTenantId
    bcEnvironment: bcEnvironment
    bcCompanyId: bcCompanyId
    bcClientId: bcClientId
    bcApiBaseUrl: bcApiBaseUrl
    bcUseManagedIdentityFederation: bcUseManagedIdentityFederation
    eligibleApproaches: eligibleApproaches
    lineMode: lineMode
    amountTolerance: amountTolerance
    autoCreateVendors: autoCreateVendors
    vendorMaster: vendorMaster
    pollCin7Schedule: pollCin7Schedule
    pollBcSchedule: pollBcSchedule
    renewSubscriptionsSchedule: renewSubscriptionsSchedule
    checkWebhooksSchedule: checkWebhooksSchedule
    openRecordsSnapshotSchedule: openRecordsSnapshotSchedule
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    consoleClientId: consoleClientId
    consoleTenantId: empty(consoleTenantId) ? tenant().tenantId : consoleTenantId
    consoleAllowedAudiences: consoleAllowedAudiences
  }
  // Grant the identity its roles before the app first starts its triggers (avoids an RBAC propagation race).
  dependsOn: [rbac]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: 'cin7bc-${resourceToken}'
    location: location
    tags: allTags
    alertEmail: alertEmail
    serviceBusNamespaceName: serviceBusNamespaceName
    queueName: syncQueueName
    applicationInsightsName: applicationInsightsName
    backlogMessageThreshold: backlogMessageThreshold
    backlogWindow: backlogWindow
  }
  dependsOn: [serviceBus, monitoring]
}

module workbook 'app/workbook.bicep' = {
  name: 'workbook'
  params: {
    displayName: 'Cin7 → Business Central connector (${environmentName})'
    location: location
    tags: allTags
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [monitoring]
}

// ---------------------------------------------------------------------------------------------- outputs (azd env values)

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.uri
output PUBLIC_BASE_URL string = functionApp.outputs.uri
output CONSOLE_URL string = '${functionApp.outputs.uri}/api/console/'
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output SYNC_QUEUE_NAME string = serviceBus.outputs.queueName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
// The post-provision hook (infra/hooks/postprovision.sh) grants the deployer roles at these scopes.
output AZURE_KEY_VAULT_ID string = keyVault.outputs.id
output AZURE_STORAGE_ACCOUNT_ID string = storage.outputs.id
output BC_USE_MANAGED_IDENTITY_FEDERATION bool = bcUseManagedIdentityFederation
output KEY_VAULT_URL string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_WORKBOOK_ID string = workbook.outputs.id
