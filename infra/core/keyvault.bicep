metadata description = '''Key Vault in RBAC mode. The template creates no secrets; the operator seeds them by name:
cin7-account-id, cin7-application-key, bc-client-secret (only without managed identity federation),
cin7-webhook-secret, bc-client-state.'''

@description('Vault name (3-24 characters, globally unique; the name stays reserved while soft-deleted).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object = {}

@description('False when a private endpoint carries all traffic (main.bicep privateNetworking).')
param publicNetworkAccess bool = true

@description('Log Analytics workspace that receives the vault\'s AuditEvent log (every secret read, by whom).')
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess ? 'Allow' : 'Deny'
    }
  }
}

// Who read which secret, and who was refused: the audit trail invariant 7 relies on.
// 2021-05-01-preview is the current diagnostic settings API: the linter's only GA alternative, 2016-09-01, is
// the legacy per-service shape that cannot target a Log Analytics workspace this way.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
