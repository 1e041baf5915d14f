#!/usr/bin/env bash
# Installs dynalite (the DynamoDB implementation tenant-testkit's LocalDynamo starts) where
# LocalDynamo looks for it: ~/.cache/tenantkit/dynalite-<first 12 hex digits of the SHA-256 of
# package-lock.json then package.json>. LocalDynamo installs it the same way on its first start;
# this does it up front (CI), so a failing npm shows as its own step. Needs Node.js 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
res=tenant-testkit/src/main/resources/dev/tenantkit/testkit/dynalite
hash=$(cat "$res/package-lock.json" "$res/package.json" | sha256sum | cut -c1-12)
dir="$HOME/.cache/tenantkit/dynalite-$hash"
if [ -f "$dir/.installed" ] && [ -f "$dir/node_modules/dynalite/cli.js" ]; then
  echo "dynalite already installed in $dir"
  exit 0
fi
mkdir -p "$dir"
cp "$res/package.json" "$res/package-lock.json" "$dir/"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
test -f "$dir/node_modules/dynalite/cli.js"
echo "4.0.0" > "$dir/.installed"
echo "dynalite installed in $dir"
