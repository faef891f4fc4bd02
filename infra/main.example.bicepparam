// Example parameters for a deployment without azd:
//   az deployment group create -g <resource-group> -f infra/main.bicep -p infra/main.example.bicepparam
// Copy this file, replace the placeholder ids with the customer's values, and keep the copy out of git if it
// holds anything customer-specific. No secrets belong here: they go into Key Vault after the deployment.
using './main.bicep'

param environmentName = 'contoso-prod'

// Business Central tenant, environment and company the connector writes to.
param bcTenantId = '00000000-0000-0000-0000-000000000000'
param bcEnvironment = 'production'
param bcCompanyId = '00000000-0000-0000-0000-000000000000'
// Entra app registration with the Business Central API permission (client credentials).
param bcClientId = '00000000-0000-0000-0000-000000000000'
param bcUseManagedIdentityFederation = false

// Behaviour (defaults shown).
param eligibleApproaches = 'INVOICE,STOCK'
param lineMode = 'account'
param amountTolerance = '0.01'
param autoCreateVendors = false
param vendorMaster = 'cin7'
param pollCin7Schedule = '0 */15 * * * *'
param pollBcSchedule = '0 */15 * * * *'
param renewSubscriptionsSchedule = '0 0 */6 * * *'

// Operations.
param alertEmail = 'ops@example.com'
param backlogMessageThreshold = 50
param backlogWindow = 'PT1H'

// Operator console sign-in (README "Operator console"): the Entra app registration with the Console.Reader and
// Console.Operator app roles. Leave empty to keep App Service Authentication off (the console API then refuses
// every call; the admin API keeps working with a function key).
param consoleClientId = '00000000-0000-0000-0000-000000000000'
param consoleTenantId = ''
param consoleAllowedAudiences = []
