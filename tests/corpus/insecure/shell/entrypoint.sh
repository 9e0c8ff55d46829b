#!/bin/sh
set -e

if [ -n "$SECRET_KEY_BASE" ]; then
  echo "SECRET_KEY_BASE provided"
fi

echo "Starting with API_KEY=$API_KEY"
echo "Starting on port ${PORT:-8080}"
chmod 777 /app/tmp
chmod 775 /app/log
exec "$@"
