#!/usr/bin/env bash
# make demo: import the busybox test image, run busybox httpd in a container on the host
# network, fetch its page from the host, then remove the container.
set -euo pipefail
cd "$(dirname "$0")/.."
kpod=bin/kpod
port=${KPOD_DEMO_PORT:-18080}
name=kpod-demo-web

$kpod rm -f -t 0 "$name" >/dev/null 2>&1 || true
if ! $kpod image exists localhost/busybox:latest; then
  $kpod import build/busybox-rootfs.tar localhost/busybox:latest \
    --change 'CMD ["sh"]' >/dev/null
fi
echo "+ kpod run -d --name $name --network host localhost/busybox httpd -f -p 127.0.0.1:$port -h /www"
$kpod run -d --name "$name" --network host localhost/busybox \
  sh -c "mkdir -p /www && echo 'hello from kpod: container' \$(hostname) 'served this page' > /www/index.html && exec httpd -f -p 127.0.0.1:$port -h /www" >/dev/null
trap '$kpod rm -f -t 0 "$name" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 50); do
  if page=$(busybox wget -qO- "http://127.0.0.1:$port/" 2>/dev/null); then break; fi
  sleep 0.1
done
echo "+ kpod ps"
$kpod ps
echo "+ wget -qO- http://127.0.0.1:$port/"
echo "${page:?the container did not answer}"
