#!/usr/bin/env bash
# make demo: import the busybox test image, play the two-tier example (a frontend that
# fetches its answer from a 2-replica backend through the Service name "backend"), fetch
# the frontend's page from the host, then take it all down.
set -euo pipefail
cd "$(dirname "$0")/.."
kpod=bin/kpod
manifest=examples/two-tier.yaml
url=http://127.0.0.1:18080/cgi-bin/index

if ! $kpod image exists localhost/busybox:latest; then
  $kpod import build/busybox-rootfs.tar localhost/busybox:latest --change 'CMD ["sh"]' >/dev/null
fi
$kpod kube down "$manifest" >/dev/null 2>&1 || true
trap '$kpod kube down "$manifest" >/dev/null 2>&1 || true' EXIT
echo "+ kpod kube play $manifest"
$kpod kube play "$manifest"
for _ in $(seq 1 50); do
  if page=$(busybox wget -qO- "$url" 2>/dev/null); then break; fi
  sleep 0.1
done
echo "+ kpod pod ps"
$kpod pod ps
echo "+ kpod ps"
$kpod ps --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'
echo "+ wget -qO- $url"
echo "${page:?the frontend did not answer}"
echo "+ kpod kube down $manifest"
$kpod kube down "$manifest"
trap - EXIT
