#!/bin/sh
# Bootstrap a developer machine.
read -r -s -p "Vault token: " VAULT_TOKEN
export VAULT_TOKEN
PASSWORD_LENGTH=24
GENERATED_PASSWORD=$(openssl rand -base64 "$PASSWORD_LENGTH")
echo "export DB_PASSWORD=$GENERATED_PASSWORD" >> ~/.orders.env
ssh-keygen -t ed25519 -N "" -f ~/.ssh/orders_deploy
echo "ssh-ed25519 public key fingerprint: SHA256:LxZ8negPQ3oGhgQ5ktcH/c5AznFwEUQvGoHeJN+ojPo="
