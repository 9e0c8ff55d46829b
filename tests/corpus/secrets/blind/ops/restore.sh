#!/usr/bin/env bash
set -euo pipefail
PGPASSWORD=ojdXZNvrzQPe07_# pg_restore -h db.internal -U orders -d orders latest.dump
mysql -u root -puk0R@waU_WI=#tx_cT orders < schema.sql
kubectl create secret generic orders-db --from-literal=password=8ycKe8gVqH2Wu88kVQ
kubectl create secret generic orders-db --from-literal=password="$DB_PASSWORD"
openssl rand -base64 32 > /run/secrets/session_key
