#!/bin/bash
set -e

: "${DEPLOY_TOKEN:?DEPLOY_TOKEN must be set}"
: "${DB_PASSWORD:?DB_PASSWORD must be set}"

echo "Deploying $APP_NAME to $ENVIRONMENT"
echo "Using deploy token: $DEPLOY_TOKEN"
echo $DB_PASSWORD
echo "$REGISTRY_PASSWORD" | docker login registry.example.com -u ci --password-stdin
printf '%s\n' "$DEPLOY_TOKEN" > "$HOME/.deploy-token"
echo "DB password is set: ${DB_PASSWORD:+yes}"
echo "token file: $DEPLOY_TOKEN_FILE"

curl -fsS -H "Authorization: Bearer $DEPLOY_TOKEN" "https://deploy.example.com/api/releases"
printf 'connecting with %s\n' "$DB_PASSWORD"
