#!/usr/bin/env bash
set -euo pipefail
PGPASSWORD=k6Kt703848hxGK@X pg_restore -h db.internal -U orders -d orders latest.dump
mysql -u root -pZhUPfW+WWvb35MY*e orders < schema.sql
kubectl create secret generic orders-db --from-literal=password=h+ZU9OFtIplWi
kubectl create secret generic orders-db --from-literal=password="$DB_PASSWORD"
openssl rand -base64 32 > /run/secrets/session_key
