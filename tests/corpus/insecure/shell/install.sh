#!/usr/bin/env bash
# Installs the agent on a fresh VM.
set -euo pipefail

AGENT_VERSION="${AGENT_VERSION:-1.8.2}"
INSTALL_DIR=/opt/agent

mkdir -p "$INSTALL_DIR"
curl -fsSL -k "https://artifacts.internal.example.com/agent/${AGENT_VERSION}/agent.tar.gz" -o /tmp/agent.tar.gz
curl -fsSL "https://artifacts.internal.example.com/agent/${AGENT_VERSION}/agent.tar.gz.sha256" -o /tmp/agent.sha256
curl --insecure --retry 3 -o /tmp/plugins.zip https://plugins.internal.example.com/latest.zip
curl --cacert /etc/ssl/internal-ca.pem -o /tmp/config.json https://config.internal.example.com/agent.json
wget --no-check-certificate -q -O /tmp/jq https://downloads.example.com/jq-linux64
wget -q --ca-certificate=/etc/ssl/internal-ca.pem -O /tmp/yq https://downloads.example.com/yq

tar -xzf /tmp/agent.tar.gz -C "$INSTALL_DIR"
chmod 777 "$INSTALL_DIR"
chmod 755 "$INSTALL_DIR/bin/agent"
chmod -R 777 /var/log/agent
chmod 1777 /tmp/agent-sockets
chmod +x /tmp/jq /tmp/yq
