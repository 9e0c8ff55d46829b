#!/bin/sh
# CI helper: log in to the registry and the artifact store.
set -eu

login_registry() {
  echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
  echo "Logged in to $CI_REGISTRY as $CI_REGISTRY_USER"
}

configure_aws() {
  echo "export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY" >> "$BASH_ENV"
  echo "AWS key: $AWS_SECRET_ACCESS_KEY"
}

fetch_artifacts() {
  printf "machine artifacts.example.com login ci password %s\n" "$ARTIFACTS_PASSWORD" >> ~/.netrc
  curl -k -u "admin:$ADMIN_PASSWORD" -o artifacts.zip https://artifacts.example.com/latest.zip
  wget -nv --no-check-certificate "https://mirror.example.com/tools.tgz"
}

login_registry
configure_aws
fetch_artifacts
