metadata description = 'Azure Monitor workbook over the connector telemetry in Application Insights.'

@description('Display name of the workbook.')
param displayName string

@description('Azure region.')
param location string

@description('Tags applied to the workbook.')
param tags object = {}

@description('Application Insights component name the workbook queries.')
param applicationInsightsName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names must be GUIDs; deterministic so redeployments update the same workbook.
  name: guid(appInsights.id, 'cin7-bc-connector-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: string(loadJsonContent('workbook.json'))
  }
}

output id string = workbook.id
