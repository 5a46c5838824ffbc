#!/usr/bin/env bash
# Replace the embedded editor with decap-cms VERSION from npm (npm checks
# the package's integrity against the registry), and record its checksums.
# Then set Version in admin.go and run go test ./internal/admin.
set -euo pipefail
version=${1:?usage: update.sh VERSION}
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "decap-cms@$version" >/dev/null && tar xzf decap-cms-*.tgz)
licence=$(sed -n '/^MIT License/,$p' decap/LICENSE)
rm -rf decap && mkdir decap
dist="$tmp/package/dist"
cp "$dist/decap-cms.js" "$dist/decap-cms.js.LICENSE.txt" "$dist"/*.decap-cms.js "$dist"/*.wasm decap/
{
  echo "Decap CMS $version (npm package decap-cms), licence $(cd "$tmp/package" && node -p 'require("./package.json").license') (its package.json)."
  echo "Copyright (c) 2016 Netlify and the Decap CMS contributors."
  echo
  echo "$licence"
} > decap/LICENSE
(cd decap && sha256sum -- * | LC_ALL=C sort -k2) > SHA256SUMS
