#!/bin/sh
# Regenerates the golden DataContractSerializer XML files in this directory.
# Needs Mono (Debian/Ubuntu):
#   apt-get install -y mono-mcs mono-runtime libmono-system-runtime-serialization4.0-cil libmono-system-xml4.0-cil
# TZ is pinned so DateTimeKind.Local values serialize with a deterministic offset.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mcs -nologo -warnaserror+ -target:exe -out:"$tmp/Golden.exe" \
    -r:System.Runtime.Serialization.dll -r:System.Xml.dll \
    "$here/Golden.cs"
TZ=Europe/London LANG=C.UTF-8 LC_ALL=C.UTF-8 mono "$tmp/Golden.exe" "$here"
