#!/usr/bin/env bash
docker run -d --name shop-db -e POSTGRES_PASSWORD=4S^7m2sZHEvTDjBU8 -p 5432:5432 postgres:16
docker run -d -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7
helm upgrade --install shop ./chart --set image.tag="$GIT_SHA" --set stripe.secretKey=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
echo "sha256sum: cb682c2ce6add5b3b053c2575ffbc7a2a84b2a66a2ba1515139268d1dc92bacc  shop.tar.gz"
