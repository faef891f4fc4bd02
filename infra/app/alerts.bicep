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

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
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

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
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

resource backlogAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
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

var logAlerts = [
  {
    key: 'function-failures'
    displayName: 'Function invocations failed'
    description: 'Function invocations failed (requests with success == false).'
    severity: 1
    query: 'requests\n| where success == false\n| project timestamp, operation_Name, resultCode'
    dimension: 'operation_Name'
    threshold: functionFailureThreshold
  }
  {
    key: 'ledger-failed'
    displayName: 'Ledger: records failed'
    description: 'Records reached the ledger state failed after their last retry. Fix the cause and replay them.'
    severity: 1
    query: 'customEvents\n| where name == "ledger.transition"\n| extend state = tostring(customDimensions.state)\n| where state == "failed"\n| project timestamp, state'
    dimension: 'state'
    threshold: 0
  }
  {
    key: 'ledger-needs-mapping'
    displayName: 'Ledger: records need a mapping'
    description: 'Records were parked as needs-mapping: a vendor, account, item, tax code, currency or dimension has no mapping. Add the mapping and replay.'
    severity: 3
    query: 'customEvents\n| where name == "ledger.transition"\n| extend state = tostring(customDimensions.state)\n| where state == "needs-mapping"\n| project timestamp, state'
    dimension: 'state'
    threshold: 0
  }
  {
    key: 'ledger-amount-mismatch'
    displayName: 'Ledger: invoice totals do not reconcile'
    description: 'A BC draft total differs from the Cin7 invoice total by more than AMOUNT_TOLERANCE; the draft was not posted.'
    severity: 2
    query: 'customEvents\n| where name == "ledger.transition"\n| extend state = tostring(customDimensions.state)\n| where state == "amount-mismatch"\n| project timestamp, state'
    dimension: 'state'
    threshold: 0
  }
  {
    key: 'ledger-diverged'
    displayName: 'Ledger: Cin7 invoice changed after posting'
    description: 'A Cin7 invoice was voided or changed after its BC invoice was posted (diverged). Correct BC by hand.'
    severity: 1
    query: 'customEvents\n| where name == "ledger.transition"\n| extend state = tostring(customDimensions.state)\n| where state == "diverged"\n| project timestamp, state'
    dimension: 'state'
    threshold: 0
  }
  {
    key: 'backlog-age'
    displayName: 'Sync jobs wait too long in the queue'
    description: 'Jobs waited longer than backlogAgeMinutes before a worker ran them (metric queue.age.ms): the app is not keeping up or is stopped.'
    severity: 2
    query: 'customMetrics\n| where name == "queue.age.ms"\n| where value > ${backlogAgeMinutes * 60000}\n| project timestamp, name'
    dimension: 'name'
    threshold: 0
  }
  {
    key: 'auth-failures'
    displayName: 'Credentials rejected, or a job message unreadable'
    description: 'A job stopped on an authentication failure (auth.failure: fix the Key Vault secret or the BC app registration, then replay the failed records), or a queued message could not be read (job.malformed).'
    severity: 1
    query: 'customEvents\n| where name in ("auth.failure", "job.malformed")\n| project timestamp, name'
    dimension: 'name'
    threshold: 0
  }
  {
    key: 'self-repairs'
    displayName: 'Integration endpoints were repaired'
    description: 'A BC subscription had to be re-created or a Cin7 webhook re-activated: notifications may have been missed meanwhile (the polls catch up).'
    severity: 3
    query: 'customEvents\n| where name in ("bc.subscription.repaired", "cin7.webhook.reactivated")\n| project timestamp, name'
    dimension: 'name'
    threshold: 0
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
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
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      autoMitigate: false
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            dimensions: [
              {
                name: alert.dimension
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
