#!/bin/sh
# azd post-provision hook (azure.yaml hooks.postprovision): the first-day steps after `azd provision`/`azd up`.
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
set -u
cd "$(dirname "$0")/../.." || exit 1

# Seconds between attempts while a new role assignment propagates (Key Vault answers 403 for a few minutes).
RETRY_SECONDS="${FIRST_DAY_RETRY_SECONDS:-15}"
RETRY_ATTEMPTS="${FIRST_DAY_RETRY_ATTEMPTS:-8}"

KEY_VAULT_SECRETS_OFFICER='b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
STORAGE_TABLE_DATA_CONTRIBUTOR='0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

say() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# value NAME: from the hook's environment, else from the azd environment.
value() {
  eval "v=\${$1:-}"
  if [ -z "$v" ]; then v="$(azd env get-value "$1" 2>/dev/null || true)"; fi
  printf '%s' "$v"
}

require() {
  v="$(value "$1")"
  if [ -z "$v" ]; then
    printf 'ERROR: azd environment value %s is missing; run `azd provision` first (or select the right environment with `azd env select`).\n' "$1" >&2
    exit 1
  fi
  printf '%s' "$v"
}

VAULT_NAME="$(require AZURE_KEY_VAULT_NAME)" || exit 1
VAULT_ID="$(require AZURE_KEY_VAULT_ID)" || exit 1
VAULT_URL="$(require KEY_VAULT_URL)" || exit 1
STORAGE_ID="$(require AZURE_STORAGE_ACCOUNT_ID)" || exit 1
TABLE_ENDPOINT="$(require AZURE_STORAGE_TABLE_ENDPOINT)" || exit 1
FEDERATION="$(value BC_USE_MANAGED_IDENTITY_FEDERATION)"
FUNCTION_URL="$(value AZURE_FUNCTION_APP_URL)"
IDENTITY_CLIENT_ID="$(value AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID)"

# azd sets AZURE_PRINCIPAL_ID (and AZURE_PRINCIPAL_TYPE) for whoever is logged in; `az` answers otherwise.
PRINCIPAL_ID="$(value AZURE_PRINCIPAL_ID)"
PRINCIPAL_TYPE="$(value AZURE_PRINCIPAL_TYPE)"
if [ -z "$PRINCIPAL_ID" ]; then
  PRINCIPAL_ID="$(az ad signed-in-user show --query id -o tsv 2>/dev/null || true)"
  PRINCIPAL_TYPE=User
fi
[ -n "$PRINCIPAL_TYPE" ] || PRINCIPAL_TYPE=User

# grant ROLE_ID SCOPE LABEL: assigns the role unless the principal already holds it there.
grant() {
  if [ -z "$PRINCIPAL_ID" ]; then
    warn "could not tell who is deploying (no AZURE_PRINCIPAL_ID, az ad signed-in-user failed): assign $3 yourself."
    return 1
  fi
  existing="$(az role assignment list --assignee "$PRINCIPAL_ID" --role "$1" --scope "$2" --query 'length(@)' -o tsv 2>/dev/null)"
  if [ "$existing" != "" ] && [ "$existing" != "0" ]; then
    say "  $3: already assigned"
    return 0
  fi
  if az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type "$PRINCIPAL_TYPE" \
    --role "$1" --scope "$2" --only-show-errors -o none; then
    say "  $3: assigned (it can take a few minutes to apply)"
    return 0
  fi
  warn "could not assign $3 to $PRINCIPAL_ID on $2 (you need Owner or User Access Administrator there)."
  return 1
}

# secret_names: the names (never the values) of the vault's secrets, one a line; retried while the role propagates.
secret_names() {
  attempt=1
  while :; do
    if names="$(az keyvault secret list --vault-name "$VAULT_NAME" --query '[].name' -o tsv 2>/dev/null)"; then
      printf '%s\n' "$names"
      return 0
    fi
    [ "$attempt" -ge "$RETRY_ATTEMPTS" ] && return 1
    attempt=$((attempt + 1))
    sleep "$RETRY_SECONDS"
  done
}

has_secret() { printf '%s\n' "$NAMES" | grep -qx "$1"; }

# generate NAME: a random 256-bit hex secret, written to the vault from a file only this user can read.
generate() {
  file="$(umask 077 && mktemp)" || return 1
  trap 'rm -f "$file"' EXIT INT TERM
  if ! od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file"; then
    rm -f "$file"
    return 1
  fi
  ok=1
  if az keyvault secret set --vault-name "$VAULT_NAME" --name "$1" --file "$file" --encoding utf-8 \
    --only-show-errors -o none; then
    ok=0
  fi
  rm -f "$file"
  trap - EXIT INT TERM
  return "$ok"
}

say "First-day setup for Key Vault $VAULT_NAME"
say "Roles for the deploying principal ($PRINCIPAL_TYPE ${PRINCIPAL_ID:-unknown}):"
grant "$KEY_VAULT_SECRETS_OFFICER" "$VAULT_ID" 'Key Vault Secrets Officer on the vault'
grant "$STORAGE_TABLE_DATA_CONTRIBUTOR" "$STORAGE_ID" 'Storage Table Data Contributor on the storage account'

if ! NAMES="$(secret_names)"; then
  warn "could not list the secrets of $VAULT_NAME. If the role was just assigned, run this again in a few minutes (sh infra/hooks/postprovision.sh); with privateNetworking=true, run it from a machine that reaches the vault."
  exit 0
fi

say 'Generated secrets (random, stored only in the vault):'
for name in cin7-webhook-secret bc-client-state; do
  if has_secret "$name"; then
    say "  $name: present, kept"
  elif generate "$name"; then
    say "  $name: generated"
  else
    warn "could not write $name to $VAULT_NAME; run this hook again."
  fi
done

needed='cin7-account-id cin7-application-key'
[ "$FEDERATION" = true ] || needed="$needed bc-client-secret"
missing=''
for name in $needed; do has_secret "$name" || missing="$missing $name"; done

if [ -n "$missing" ]; then
  say ''
  say 'Set these secrets (replace each <...> with the value; --file <path> instead of --value keeps it out of'
  say 'your shell history):'
  for name in $missing; do
    case "$name" in
      cin7-account-id) hint='<Cin7 Core: Integrations > API > Account ID>' ;;
      cin7-application-key) hint='<Cin7 Core: Integrations > API > Application Key>' ;;
      *) hint='<client secret of the Entra app registered in BC>' ;;
    esac
    say "  az keyvault secret set --vault-name $VAULT_NAME --name $name --value '$hint' -o none"
  done
fi

say ''
say 'Business Central side (once per customer; README "Business Central and Entra setup"):'
say '  1. Entra ID > App registrations: register an app; API permissions: Dynamics 365 Business Central >'
say '     Application permissions > API.ReadWrite.All, then grant admin consent. Either add a client secret'
say '     (the bc-client-secret above) or, with no secret at all, a federated credential for the managed identity'
say "     ${IDENTITY_CLIENT_ID:-of the app} and BC_USE_MANAGED_IDENTITY_FEDERATION=true (azd env set, then azd provision)."
say '  2. In BC, Microsoft Entra Applications: add the client id, State = Enabled, permission sets'
say '     D365 PURCH DOC, POST; D365 VENDOR, EDIT; D365 ITEM, EDIT; D365 READ; D365 AUTOMATION.'
say '  3. Only with AUTO_CREATE_VENDORS=true: a vendor template with Gen. Bus., VAT Bus. and Vendor Posting Group'
say '     filled, and a Config. Template Selection Rule (table Vendor) that picks it.'
say "  4. Then register the Cin7 webhooks on ${FUNCTION_URL:-the function app URL}: npm run cli -- webhooks setup"
say '     (with the same environment as doctor below).'

if [ -n "$missing" ]; then
  say ''
  say "doctor not run: missing$missing. Set them, then run this hook again (sh infra/hooks/postprovision.sh)."
  exit 0
fi

if [ "$FEDERATION" = true ]; then
  say ''
  say 'doctor not run: with BC_USE_MANAGED_IDENTITY_FEDERATION only the app'"'"'s identity gets a BC token. Check the'
  say "deployed app instead: GET ${FUNCTION_URL:-<function app URL>}/api/admin/health/deep with its function key."
  exit 0
fi

say ''
say 'All secrets present: running doctor against Azure (your az login reads Key Vault and Table Storage).'
# The CLI reads the secrets from the vault itself; only names and ids are passed here.
if KEY_VAULT_URL="$VAULT_URL" AzureWebJobsStorage__tableServiceUri="$TABLE_ENDPOINT" \
  BC_TENANT_ID="$(value BC_TENANT_ID)" BC_ENVIRONMENT="$(value BC_ENVIRONMENT)" \
  BC_COMPANY_ID="$(value BC_COMPANY_ID)" BC_CLIENT_ID="$(value BC_CLIENT_ID)" \
  BC_USE_MANAGED_IDENTITY_FEDERATION="${FEDERATION:-false}" PUBLIC_BASE_URL="$FUNCTION_URL" \
  npm run --silent cli -- doctor; then
  say 'doctor: both connections work and every Cin7 value has a mapping or a default match.'
else
  warn "doctor reported problems (exit code $?); fix what it lists, then run: sh infra/hooks/postprovision.sh"
fi
exit 0
