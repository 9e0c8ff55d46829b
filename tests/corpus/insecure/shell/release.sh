#!/usr/bin/env bash
# Tag a release and notify the release API.
set -euo pipefail

VERSION="$1"
API="https://releases.internal.example.com/api/v2"

git tag -a "v${VERSION}" -m "Release ${VERSION}"
git push origin "v${VERSION}"

echo -e "Authorization: token ${GH_TOKEN}"
curl -sSk -X POST -H "Authorization: token ${GH_TOKEN}" "$API/releases" -d "{\"tag\":\"v${VERSION}\"}"
curl -sS -X POST -H "Authorization: token ${GH_TOKEN}" "$API/notify"

sudo chmod 777 /var/run/docker.sock
sudo chmod 660 /var/run/docker.sock

cat > /tmp/release.env <<EOT
GH_TOKEN=${GH_TOKEN}
EOT
chmod g+w /tmp/release.env
echo "Released v${VERSION}"
