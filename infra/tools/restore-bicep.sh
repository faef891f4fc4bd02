#!/usr/bin/env bash
# Restores a pinned Bicep CLI from its NuGet package (Azure.Bicep.CommandLine.linux-x64) into
# .tools/bicep/<version>/ and prints the path of the `bicep` binary on stdout (logs go to stderr).
# Idempotent: does nothing when the pinned version is already there.
#
# Strategy: download the .nupkg from the NuGet v3 flat container with curl and extract tools/bicep;
# when curl or unzip are missing, or the download fails, fall back to `dotnet restore` of a throwaway
# project with a <PackageDownload>. Override the version with BICEP_VERSION=<x.y.z>; force one way with
# BICEP_RESTORE_VIA=curl|dotnet.
set -euo pipefail

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
PACKAGE_ID="azure.bicep.commandline.linux-x64"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST_DIR="$ROOT/.tools/bicep/$BICEP_VERSION"
BICEP="$DEST_DIR/bicep"

log() { echo "restore-bicep: $*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) log "only linux-x64 is supported by this script (got $(uname -s)-$(uname -m))"; exit 1 ;;
esac

if [[ -x "$BICEP" ]] && "$BICEP" --version 2>/dev/null | grep -q "version $BICEP_VERSION "; then
  echo "$BICEP"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

extract_with_curl() {
  command -v curl >/dev/null || { log "curl not found"; return 1; }
  local url="https://api.nuget.org/v3-flatcontainer/$PACKAGE_ID/$BICEP_VERSION/$PACKAGE_ID.$BICEP_VERSION.nupkg"
  log "downloading $PACKAGE_ID $BICEP_VERSION"
  curl -fsSL --retry 3 --retry-delay 2 -o "$WORK/pkg.nupkg" "$url" || { log "download failed"; return 1; }
  if command -v unzip >/dev/null; then
    unzip -q -o "$WORK/pkg.nupkg" tools/bicep -d "$WORK/x"
  elif command -v python3 >/dev/null; then
    python3 - "$WORK/pkg.nupkg" "$WORK/x" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("tools/bicep", sys.argv[2])
PY
  else
    log "neither unzip nor python3 found"; return 1
  fi
  [[ -f "$WORK/x/tools/bicep" ]] || return 1
  cp "$WORK/x/tools/bicep" "$WORK/bicep"
}

extract_with_dotnet() {
  command -v dotnet >/dev/null || { log "dotnet not found"; return 1; }
  log "restoring $PACKAGE_ID $BICEP_VERSION with dotnet"
  cat >"$WORK/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
XML
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet restore "$WORK/restore.csproj" --packages "$WORK/packages" >&2 || return 1
  cp "$WORK/packages/$PACKAGE_ID/$BICEP_VERSION/tools/bicep" "$WORK/bicep"
}

case "${BICEP_RESTORE_VIA:-}" in
  curl) extract_with_curl ;;
  dotnet) extract_with_dotnet ;;
  *) extract_with_curl || extract_with_dotnet ;;
esac || { log "could not restore the Bicep CLI"; exit 1; }

chmod +x "$WORK/bicep"
"$WORK/bicep" --version >&2
mkdir -p "$DEST_DIR"
mv -f "$WORK/bicep" "$BICEP"
echo "$BICEP"
