#!/usr/bin/env bash
# One-time developer setup.
set -euo pipefail

GITHUB_TOKEN="${GITHUB_TOKEN:-}"

if [[ -z "$GITHUB_TOKEN" ]]; then
  echo "GITHUB_TOKEN is not set; private packages will fail"
fi

echo "//npm.example.com/:_authToken=${GITHUB_TOKEN}" >> ~/.npmrc
echo "Configured npm with ${GITHUB_TOKEN}"

wget --no-check-certificate https://tools.internal.example.com/devtool.tgz
wget https://tools.internal.example.com/devtool.tgz.asc
curl -fsSL https://tools.internal.example.com/install-hooks.sh -o /tmp/install-hooks.sh
chmod u+x /tmp/install-hooks.sh
