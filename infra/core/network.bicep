metadata description = '''Optional private networking (main.bicep privateNetworking): a virtual network with a subnet for the
function app's outbound traffic (VNet integration) and one for private endpoints; private endpoints for the
storage account (blob, queue, table), the Service Bus namespace and the Key Vault, with their private DNS zones.
Every zone name is derived from the cloud's own suffixes, so the module works in sovereign clouds.'''

@description('Prefix of the network resource names.')
param namePrefix string

@description('Azure region.')
param location string

@description('Tags applied to the network resources.')
param tags object = {}

@description('Address space of the virtual network.')
param addressPrefix string = '10.40.0.0/16'

@description('Subnet for the function app\'s VNet integration (delegated to Microsoft.App/environments, as Flex Consumption requires).')
param appSubnetPrefix string = '10.40.0.0/24'

@description('Subnet for the private endpoints.')
param privateEndpointSubnetPrefix string = '10.40.1.0/24'

@description('Resource id of the storage account.')
param storageAccountId string

@description('Resource id of the Service Bus namespace (Premium: lower tiers have no private endpoints).')
param serviceBusNamespaceId string

@description('Host name of the Service Bus namespace; its zone is derived from it.')
param serviceBusHost string

@description('Resource id of the Key Vault.')
param keyVaultId string

resource vnet 'Microsoft.Network/virtualNetworks@2025-01-01' = {
  name: '${namePrefix}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: 'app'
  }

  resource endpointSubnet 'subnets' existing = {
    name: 'private-endpoints'
  }
}

// <namespace>.<suffix> → privatelink.<suffix>; <vault dns suffix> = .vault.<cloud> → privatelink.vaultcore.<cloud>.
var serviceBusSuffix = substring(serviceBusHost, indexOf(serviceBusHost, '.') + 1)
var keyVaultZone = 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}'
var endpoints = [
  { name: 'blob', group: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}' }
  { name: 'queue', group: 'queue', zone: 'privatelink.queue.${environment().suffixes.storage}' }
  { name: 'table', group: 'table', zone: 'privatelink.table.${environment().suffixes.storage}' }
  { name: 'servicebus', group: 'namespace', zone: 'privatelink.${serviceBusSuffix}' }
  { name: 'keyvault', group: 'vault', zone: keyVaultZone }
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: '${namePrefix}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2025-01-01' = [
  for endpoint in endpoints: {
    name: '${namePrefix}-pe-${endpoint.name}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet::endpointSubnet.id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: endpoint.group == 'namespace'
              ? serviceBusNamespaceId
              : endpoint.group == 'vault' ? keyVaultId : storageAccountId
            groupIds: [endpoint.group]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-01-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output appSubnetId string = vnet::appSubnet.id
