#!/usr/bin/env bash
# Makes a Docker engine reachable for the docker-lab tests (test/docker/*): installs Debian's docker.io
# when dockerd is missing, starts dockerd in the background and waits until it answers.
# --bridge=none --iptables=false: portlab's containers only use `--network none` (or join each other),
# so the engine needs no bridge, no NAT and must not touch the host's firewall.
# Idempotent: an engine that already answers (or DOCKER_HOST pointing at one) is left alone.
set -euo pipefail

LOG=${PORTLAB_DOCKERD_LOG:-/tmp/portlab-dockerd.log}
WAIT_S=${PORTLAB_DOCKERD_WAIT_S:-60}
SUDO=""
GROUP_ARGS=""
if [ "$(id -u)" != 0 ]; then
  SUDO=sudo
  # The socket then belongs to this user's group, so the tests (run as this user) may use it.
  GROUP_ARGS="--group $(id -gn)"
fi

engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  echo "docker-setup: an engine already answers (DOCKER_HOST=${DOCKER_HOST:-default socket})"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  echo "docker-setup: installing docker.io"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io
fi

# A pid file left by a dockerd that died (a restarted CI container) makes a new one refuse to start.
if [ -f /var/run/docker.pid ] && ! $SUDO kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  $SUDO rm -f /var/run/docker.pid
fi

echo "docker-setup: starting dockerd (log: $LOG)"
$SUDO sh -c "nohup dockerd --bridge=none --iptables=false $GROUP_ARGS >'$LOG' 2>&1 &"

for _ in $(seq 1 "$WAIT_S"); do
  if engine_answers; then
    echo "docker-setup: engine ready: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
    exit 0
  fi
  sleep 1
done
echo "docker-setup: dockerd did not answer within ${WAIT_S} s; last lines of $LOG:" >&2
tail -n 40 "$LOG" >&2 || true
exit 1
