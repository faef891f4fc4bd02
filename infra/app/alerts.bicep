metadata description = '''Alerts that make failures visible (DESIGN invariant 4): dead letters, backlog, function failures,
ledger records parked in failed / needs-mapping / amount-mismatch / diverged, and self-repairs of
BC subscriptions and Cin7 webhooks. Notifications go to an optional e-mail action group.'''

@description('Prefix for alert names.')
param namePrefix string

@description('Tags applied to the alert resources.')
param tags object = {}

@description('Azure region for the log alerts (metric alerts and action groups are global).')
param location string

@description('E-mail address for alert notifications; empty creates no action group (alerts still fire in the portal).')
param alertEmail string = ''

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Sync-jobs queue name.')
param queueName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Backlog alert: active messages that must stay on the queue for the whole backlog window to alert.')
@minValue(1)
param backlogMessageThreshold int = 50

@description('Backlog alert: how long the backlog must persist (ISO 8601 duration accepted by metric alerts).')
@allowed(['PT15M', 'PT30M', 'PT1H'])
param backlogWindow string = 'PT1H'

@description('Function failures alert: failed invocations tolerated per 15 minutes before alerting.')
@minValue(0)
param functionFailureThreshold int = 0

@description('A job that waited longer than this in the queue before it ran raises the backlog-age alert (minutes).')
param backlogAgeMinutes int = 30

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-ag'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'cin7bc'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroupIds = empty(alertEmail) ? [] : [actionGroup.id]
var metricAlertActions = [for id in actionGroupIds: { actionGroupId: id }]

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages were dead-lettered on the sync-jobs queue. The app should turn every failure into a visible ledger state, so a dead letter means a bug or a poison message: inspect and replay it.'
    severity: 1
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [queueName]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: metricAlertActions
  }
}

resource backlogAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-backlog'
  location: 'global'
  tags: tags
  properties: {
    description: 'The sync-jobs queue has held more than ${backlogMessageThreshold} active messages for the whole ${backlogWindow} window: processing is stalled or throttled.'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: backlogWindow
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'ActiveMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'ActiveMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [queueName]
            }
          ]
          operator: 'GreaterThan'
          threshold: backlogMessageThreshold
          // The lowest value in the window is above the threshold: the backlog never drained.
          timeAggregation: 'Minimum'
        }
      ]
    }
    actions: metricAlertActions
  }
}

// The queries live in log-alerts.json so test/telemetry/kql-queries.test.ts runs exactly this text against rows
// shaped as the applicationinsights 3.x exporter writes them.
var logAlerts = [
  for alert in loadJsonContent('log-alerts.json'): {
    key: alert.key
    displayName: alert.displayName
    description: alert.description
    severity: alert.severity
    query: replace(alert.query, '{backlogAgeMs}', string(backlogAgeMinutes * 60000))
    dimensions: alert.dimensions
    threshold: alert.key == 'function-failures' ? functionFailureThreshold : 0
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for alert in logAlerts: {
    name: '${namePrefix}-${alert.key}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: alert.displayName
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [appInsights.id]
      // Each event alerts once: the window equals the frequency, so consecutive evaluations never see the same
      // row (a 15-minute window evaluated every 5 minutes mailed one event three times). Stateless
      // (autoMitigate false) on purpose: a stateful alert stays fired while its dimensions keep matching and
      // would stay silent about the next record with the same reason. An event ingested after its window was
      // evaluated is not alerted; the open-records snapshot in the workbook still shows the record.
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      autoMitigate: false
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            dimensions: [
              for dimension in alert.dimensions: {
                name: dimension
                operator: 'Include'
                values: ['*']
              }
            ]
            operator: 'GreaterThan'
            threshold: alert.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: actionGroupIds
      }
    }
  }
]
