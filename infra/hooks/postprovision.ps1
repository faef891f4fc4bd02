#!/usr/bin/env pwsh
# azd post-provision hook for Windows (azure.yaml hooks.postprovision.windows; azd runs it with pwsh), the
# PowerShell twin of postprovision.sh: the same steps, names, roles and commands, and the same output
# (test/infra/postprovision-twins.test.ts compares the two files).
#   1. grants the deploying principal Key Vault Secrets Officer on the app's vault and Storage Table Data
#      Contributor on its storage account (shared-key access is off, so the CLI and `doctor` need it);
#   2. generates cin7-webhook-secret and bc-client-state when absent (random, written from a private temp
#      file, never printed or passed on a command line);
#   3. prints the commands that set the Cin7 and BC secrets (without values) and the BC-side setup;
#   4. runs `doctor` against Azure once the Cin7 and BC secrets are in the vault.
# Safe to run again: existing role assignments and secrets are left alone. Names come from the azd environment
# (infra/main.bicep outputs), which azd exports to hooks; run by hand, they are read with `azd env get-value`.
# Problems reaching Azure are reported and the hook still ends 0, so a slow role propagation or a private vault
# does not fail `azd up` after the deployment itself succeeded; a missing output (wrong azd environment) is an error.
# Needs PowerShell 7.2+ (pwsh), which azd uses for Windows hooks.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Continue'
Set-Location -LiteralPath (Join-Path $PSScriptRoot '../..')

# Seconds between attempts while a new role assignment propagates (Key Vault answers 403 for a few minutes).
$RetrySeconds = if ($env:FIRST_DAY_RETRY_SECONDS) { [int]$env:FIRST_DAY_RETRY_SECONDS } else { 15 }
$RetryAttempts = if ($env:FIRST_DAY_RETRY_ATTEMPTS) { [int]$env:FIRST_DAY_RETRY_ATTEMPTS } else { 8 }

$KeyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
$StorageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

# Write-Host, not Write-Output: output of these helpers must never become a function's return value.
function Say([string]$Text) { Write-Host $Text }
function Warn([string]$Text) { [Console]::Error.WriteLine("WARNING: $Text") }

# Runs az with the arguments as given; its standard output trimmed, or $null when it failed or is not installed.
function Invoke-Az {
  try {
    $out = & az @args 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
  } catch {
    return $null
  }
  return ([string]($out -join "`n")).Trim()
}

# Get-Value NAME: from the hook's environment, else from the azd environment.
function Get-Value([string]$Name) {
  $v = [Environment]::GetEnvironmentVariable($Name)
  if (-not $v) {
    try {
      $v = & azd env get-value $Name 2>$null
      if ($LASTEXITCODE -ne 0) { $v = $null }
    } catch {
      $v = $null
    }
  }
  if ($null -eq $v) { return '' }
  return ([string]($v -join "`n")).Trim()
}

function Get-Required([string]$Name) {
  $v = Get-Value $Name
  if (-not $v) {
    [Console]::Error.WriteLine("ERROR: azd environment value $Name is missing; run ``azd provision`` first (or select the right environment with ``azd env select``).")
    exit 1
  }
  return $v
}

$VaultName = Get-Required 'AZURE_KEY_VAULT_NAME'
$VaultId = Get-Required 'AZURE_KEY_VAULT_ID'
$VaultUrl = Get-Required 'KEY_VAULT_URL'
$StorageId = Get-Required 'AZURE_STORAGE_ACCOUNT_ID'
$TableEndpoint = Get-Required 'AZURE_STORAGE_TABLE_ENDPOINT'
$Federation = Get-Value 'BC_USE_MANAGED_IDENTITY_FEDERATION'
$FunctionUrl = Get-Value 'AZURE_FUNCTION_APP_URL'
$IdentityClientId = Get-Value 'AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID'

# azd sets AZURE_PRINCIPAL_ID (and AZURE_PRINCIPAL_TYPE) for whoever is logged in; `az` answers otherwise.
$PrincipalId = Get-Value 'AZURE_PRINCIPAL_ID'
$PrincipalType = Get-Value 'AZURE_PRINCIPAL_TYPE'
if (-not $PrincipalId) {
  $PrincipalId = Invoke-Az ad signed-in-user show --query id -o tsv
  if ($null -eq $PrincipalId) { $PrincipalId = '' }
  $PrincipalType = 'User'
}
if (-not $PrincipalType) { $PrincipalType = 'User' }

# Grant-Role ROLE_ID SCOPE LABEL: assigns the role unless the principal already holds it there.
function Grant-Role([string]$RoleId, [string]$Scope, [string]$Label) {
  if (-not $PrincipalId) {
    Warn "could not tell who is deploying (no AZURE_PRINCIPAL_ID, az ad signed-in-user failed): assign $Label yourself."
    return
  }
  $existing = Invoke-Az role assignment list --assignee $PrincipalId --role $RoleId --scope $Scope --query 'length(@)' -o tsv
  if ($existing -and $existing -ne '0') {
    Say "  ${Label}: already assigned"
    return
  }
  # Out-Host: whatever az prints is shown, never returned. A missing az is caught and reported below.
  try {
    & az role assignment create --assignee-object-id $PrincipalId --assignee-principal-type $PrincipalType `
      --role $RoleId --scope $Scope --only-show-errors -o none | Out-Host
    $assigned = $LASTEXITCODE -eq 0
  } catch {
    $assigned = $false
  }
  if ($assigned) {
    Say "  ${Label}: assigned (it can take a few minutes to apply)"
    return
  }
  Warn "could not assign $Label to $PrincipalId on $Scope (you need Owner or User Access Administrator there)."
}

# Get-SecretNames: the names (never the values) of the vault's secrets; retried while the role propagates.
# $null when the vault could not be read.
function Get-SecretNames {
  for ($attempt = 1; ; $attempt++) {
    $names = Invoke-Az keyvault secret list --vault-name $VaultName --query '[].name' -o tsv
    if ($null -ne $names) { return , @($names -split "`r?`n" | Where-Object { $_ -ne '' }) }
    if ($attempt -ge $RetryAttempts) { return $null }
    Start-Sleep -Seconds $RetrySeconds
  }
}

# New-GeneratedSecret NAME: a random 256-bit hex secret, written to the vault from a file only this user can read.
function New-GeneratedSecret([string]$Name) {
  $file = [System.IO.Path]::GetTempFileName()
  try {
    # The temp folder is private to the user on Windows; elsewhere narrow the file before the value goes in.
    if (-not $IsWindows) { & chmod 600 $file }
    $hex = [System.Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
    [System.IO.File]::WriteAllText($file, $hex.ToLowerInvariant())
    & az keyvault secret set --vault-name $VaultName --name $Name --file $file --encoding utf-8 `
      --only-show-errors -o none | Out-Host
    return ($LASTEXITCODE -eq 0)
  } catch {
    return $false
  } finally {
    Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
  }
}

Say "First-day setup for Key Vault $VaultName"
Say "Roles for the deploying principal ($PrincipalType $(if ($PrincipalId) { $PrincipalId } else { 'unknown' })):"
Grant-Role $KeyVaultSecretsOfficer $VaultId 'Key Vault Secrets Officer on the vault'
Grant-Role $StorageTableDataContributor $StorageId 'Storage Table Data Contributor on the storage account'

$Names = Get-SecretNames
if ($null -eq $Names) {
  Warn "could not list the secrets of $VaultName. If the role was just assigned, run this again in a few minutes (pwsh infra/hooks/postprovision.ps1); with privateNetworking=true, run it from a machine that reaches the vault."
  exit 0
}

Say 'Generated secrets (random, stored only in the vault):'
foreach ($name in @('cin7-webhook-secret', 'bc-client-state')) {
  if ($Names -contains $name) {
    Say "  ${name}: present, kept"
  } elseif (New-GeneratedSecret $name) {
    Say "  ${name}: generated"
  } else {
    Warn "could not write $name to $VaultName; run this hook again."
  }
}

$needed = @('cin7-account-id', 'cin7-application-key')
if ($Federation -ne 'true') { $needed += 'bc-client-secret' }
$missing = @($needed | Where-Object { $Names -notcontains $_ })

if ($missing.Count -gt 0) {
  Say ''
  Say 'Set these secrets (replace each <...> with the value; --file <path> instead of --value keeps it out of'
  Say 'your shell history):'
  foreach ($name in $missing) {
    $hint = switch ($name) {
      'cin7-account-id' { '<Cin7 Core: Integrations > API > Account ID>' }
      'cin7-application-key' { '<Cin7 Core: Integrations > API > Application Key>' }
      default { '<client secret of the Entra app registered in BC>' }
    }
    Say "  az keyvault secret set --vault-name $VaultName --name $name --value '$hint' -o none"
  }
}

Say ''
Say 'Business Central side (once per customer; README "Business Central and Entra setup"):'
Say '  1. Entra ID > App registrations: register an app; API permissions: Dynamics 365 Business Central >'
Say '     Application permissions > API.ReadWrite.All, then grant admin consent. Either add a client secret'
Say '     (the bc-client-secret above) or, with no secret at all, a federated credential for the managed identity'
Say "     $(if ($IdentityClientId) { $IdentityClientId } else { 'of the app' }) and BC_USE_MANAGED_IDENTITY_FEDERATION=true (azd env set, then azd provision)."
Say '  2. In BC, Microsoft Entra Applications: add the client id, State = Enabled, permission sets'
Say '     D365 PURCH DOC, POST; D365 VENDOR, EDIT; D365 ITEM, EDIT; D365 READ; D365 AUTOMATION.'
Say '  3. Only with AUTO_CREATE_VENDORS=true: a vendor template with Gen. Bus., VAT Bus. and Vendor Posting Group'
Say '     filled, and a Config. Template Selection Rule (table Vendor) that picks it.'
Say "  4. Then register the Cin7 webhooks on $(if ($FunctionUrl) { $FunctionUrl } else { 'the function app URL' }): npm run cli -- webhooks setup"
Say '     (with the same environment as doctor below).'

if ($missing.Count -gt 0) {
  Say ''
  Say "doctor not run: missing $($missing -join ' '). Set them, then run this hook again (pwsh infra/hooks/postprovision.ps1)."
  exit 0
}

if ($Federation -eq 'true') {
  Say ''
  Say 'doctor not run: with BC_USE_MANAGED_IDENTITY_FEDERATION only the app''s identity gets a BC token. Check the'
  Say "deployed app instead: GET $(if ($FunctionUrl) { $FunctionUrl } else { '<function app URL>' })/api/admin/health/deep with its function key."
  exit 0
}

Say ''
Say 'All secrets present: running doctor against Azure (your az login reads Key Vault and Table Storage).'
# The CLI reads the secrets from the vault itself; only names and ids are passed here (to npm's process only).
$env:KEY_VAULT_URL = $VaultUrl
$env:AzureWebJobsStorage__tableServiceUri = $TableEndpoint
$env:BC_TENANT_ID = Get-Value 'BC_TENANT_ID'
$env:BC_ENVIRONMENT = Get-Value 'BC_ENVIRONMENT'
$env:BC_COMPANY_ID = Get-Value 'BC_COMPANY_ID'
$env:BC_CLIENT_ID = Get-Value 'BC_CLIENT_ID'
$env:BC_USE_MANAGED_IDENTITY_FEDERATION = if ($Federation) { $Federation } else { 'false' }
$env:PUBLIC_BASE_URL = $FunctionUrl
# '--' is quoted so PowerShell passes it to npm instead of reading it as its own end-of-parameters marker.
try {
  & npm run --silent cli '--' doctor
  $doctorExit = $LASTEXITCODE
} catch {
  $doctorExit = 127
}
if ($doctorExit -eq 0) {
  Say 'doctor: both connections work and every Cin7 value has a mapping or a default match.'
} else {
  Warn "doctor reported problems (exit code $doctorExit); fix what it lists, then run: pwsh infra/hooks/postprovision.ps1"
}
exit 0
