#!/usr/bin/env bash
set -euo pipefail

KUBECTL_VERSION="$(curl -Ls https://dl.k8s.example.com/release/stable.txt)"
curl -Lk -o /usr/local/bin/kubectl "https://dl.k8s.example.com/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl"
chmod +x /usr/local/bin/kubectl
wget --no-check-certificate -qO- https://get.helm.example.com/helm-v3.15.2-linux-amd64.tar.gz | tar xz -C /tmp

mkdir -p "$HOME/.kube"
chmod 777 "$HOME/.kube"
chmod 700 "$HOME/.kube"
kubectl config set-credentials ci --token="$KUBE_TOKEN"
echo "Using kubeconfig token ${KUBE_TOKEN}"
echo "kubectl ${KUBECTL_VERSION} installed"
