#!/usr/bin/env bash
docker run -d --name shop-db -e POSTGRES_PASSWORD=W^fwBCj9!v7av -p 5432:5432 postgres:16
docker run -d -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
helm upgrade --install shop ./chart --set image.tag="$GIT_SHA" --set stripe.secretKey=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
echo "sha256sum: c7fb2a8f0f210506137f94a34e7ca74788eddcd636e1571608d6154bc7fb5995  shop.tar.gz"
