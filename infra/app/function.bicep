metadata description = '''Function app on Flex Consumption (FC1, Linux, Node 22) running as the user-assigned identity,
with identity-based connections only (no keys or connection strings with secrets in its settings).'''

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and app (the app also gets azd-service-name).')
param tags object = {}

@description('azd service name from azure.yaml.')
param azdServiceName string = 'api'

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Primary blob endpoint of the host storage account (ends with a slash).')
param storageBlobEndpoint string

@description('Primary queue endpoint of the host storage account.')
param storageQueueEndpoint string

@description('Primary table endpoint of the host storage account.')
param storageTableEndpoint string

@description('Blob container for the deployment package.')
param deploymentContainerName string

@description('Service Bus fully qualified namespace (the namespace host name).')
param serviceBusFullyQualifiedNamespace string

@description('Sync-jobs queue name.')
param syncQueueName string

@description('Key Vault URI.')
param keyVaultUri string

@description('Application Insights connection string (contains no secret: ingestion is Entra-authenticated).')
param applicationInsightsConnectionString string

@description('Flex Consumption instance memory size in MB.')
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

@description('Node.js runtime version.')
@allowed(['20', '22'])
param nodeVersion string = '22'

// Connector behaviour settings (DESIGN sections 4 and 5).
param cin7BaseUrl string
param bcTenantId string
param bcEnvironment string
param bcCompanyId string
param bcClientId string
param bcApiBaseUrl string
param eligibleApproaches string
param lineMode string
param amountTolerance string
param autoCreateVendors bool
param vendorMaster string
param pollCin7Schedule string
param pollBcSchedule string
param renewSubscriptionsSchedule string
param checkWebhooksSchedule string
param openRecordsSnapshotSchedule string

@description('Subnet for VNet integration (outbound through the virtual network); empty for none.')
param virtualNetworkSubnetId string = ''

@description('Operator console sign-in: client id of the Entra app registration users sign in to; empty: off.')
param consoleClientId string = ''

@description('Entra tenant of the console app registration.')
param consoleTenantId string = ''

@description('Token audiences the console sign-in accepts; empty: the client id and api://<client id>.')
param consoleAllowedAudiences array = []
param bcUseManagedIdentityFederation bool

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }

  // Deployments go through Entra-authenticated OneDeploy (azd); publishing with user/password stays off.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  // Every name here is either a platform setting or one the app reads (src/config/settings.ts appSettingNames);
  // test/infra/template-posture.test.ts keeps the two lists equal. Secrets are read from Key Vault at runtime.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage, identity-based (user-assigned identity).
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
      // Service Bus trigger and sender, identity-based.
      ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      // DefaultAzureCredential / ManagedIdentityCredential pick the user-assigned identity.
      AZURE_CLIENT_ID: identityClientId
      // Telemetry with Entra ingestion.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Connector settings.
      CIN7_BASE_URL: cin7BaseUrl
      BC_TENANT_ID: bcTenantId
      BC_ENVIRONMENT: bcEnvironment
      BC_COMPANY_ID: bcCompanyId
      BC_CLIENT_ID: bcClientId
      BC_API_BASE_URL: bcApiBaseUrl
      BC_USE_MANAGED_IDENTITY_FEDERATION: bcUseManagedIdentityFederation ? 'true' : 'false'
      KEY_VAULT_URL: keyVaultUri
      SYNC_QUEUE_NAME: syncQueueName
      ELIGIBLE_APPROACHES: eligibleApproaches
      LINE_MODE: lineMode
      AMOUNT_TOLERANCE: amountTolerance
      AUTO_CREATE_VENDORS: autoCreateVendors ? 'true' : 'false'
      VENDOR_MASTER: vendorMaster
      POLL_CIN7_SCHEDULE: pollCin7Schedule
      POLL_BC_SCHEDULE: pollBcSchedule
      RENEW_SUBSCRIPTIONS_SCHEDULE: renewSubscriptionsSchedule
      CHECK_WEBHOOKS_SCHEDULE: checkWebhooksSchedule
      OPEN_RECORDS_SNAPSHOT_SCHEDULE: openRecordsSnapshotSchedule
      PUBLIC_BASE_URL: 'https://${functionApp.properties.defaultHostName}'
    }
  }
}

// App Service Authentication (Easy Auth) for the operator console: Microsoft Entra sign-in for browsers, while
// everything else keeps answering as before. Requests without a session pass through (AllowAnonymous), so Cin7
// webhooks, BC notifications and function-key calls to /api/admin/... are untouched; the app itself sends a
// signed-out browser opening /api/console to sign-in and checks the caller's app role (Console.Reader or
// Console.Operator) on every /api/console/api/... call (src/functions/admin-access.ts). Off when no client id.
resource consoleAuth 'Microsoft.Web/sites/config@2025-03-01' = if (!empty(consoleClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // Not RedirectToLoginPage for the whole site: webhooks and notifications must reach the app unauthenticated,
      // and excludedPaths would have to list every one of them exactly. The console redirects by itself instead.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleClientId
          // No client secret: sign-in returns an ID token (carrying the user's app roles), so no secret exists.
          openIdIssuer: '${environment().authentication.loginEndpoint}${consoleTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: empty(consoleAllowedAudiences)
            ? [consoleClientId, 'api://${consoleClientId}']
            : consoleAllowedAudiences
        }
      }
    }
    login: {
      // The session cookie carries the sign-in and its roles; a token store (file share or blob SAS) is not needed.
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

output id string = functionApp.id
output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output uri string = 'https://${functionApp.properties.defaultHostName}'
