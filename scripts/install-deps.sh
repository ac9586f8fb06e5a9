#!/usr/bin/env bash
# Installs the Debian packages Bora needs to build and test. Idempotent and
# quiet when everything is already there. Run as root (or with sudo on PATH).
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libsqlite3-dev rapidjson-dev libfmt-dev catch2
  libcurl4-openssl-dev libssh-dev libssl-dev duktape-dev libmariadb-dev libpcre2-dev librabbitmq-dev
  libexpat1-dev
)
# What the test suite drives: the real client, and curl for the examples.
# clang and its sanitizer/libFuzzer runtimes: `make test` also runs the suite
# under ASan+UBSan and the fuzz targets (build-fuzz/, see Makefile).
# lintian, man-db and systemd (systemd-analyze): the Debian package's test
# (test/packaging/test_deb.py) lints it, reads its man pages and verifies
# its unit. prometheus: its promtool checks what GET /metrics serves
# (test/integration/test_metrics.py). python3-cryptography: the OpenID
# Connect issuer of test/integration/test_oidc.py signs its tokens with it.
# python3-keystone, uwsgi, uwsgi-plugin-python3: the private Keystone of
# test_keystone_auth.py; python3-openstackclient: `openstack workflow`;
# python3-mistral: its sample configuration (test_keystone_config.py).
# mariadb-server: the storage suite and an integration subset run on a private
# mariadbd too (test/support/mariadb_server.py; its system service is not used).
test_pkgs=(python3-mistralclient curl sqlite3 clang libclang-rt-14-dev lintian man-db systemd adduser init-system-helpers
  prometheus python3-cryptography
  python3-keystone uwsgi uwsgi-plugin-python3 python3-openstackclient python3-mistral
  mariadb-server)
# The web UI's browser tests (test/browser/) drive Debian's chromium headless.
test_pkgs+=(chromium)
# glance-api: a private Glance (file store, SQLite, loopback) for the
# OpenStack pack's image actions (test/integration/test_openstack_glance.py).
test_pkgs+=(glance-api)
# rabbitmq-server: a private broker (test/support/rabbitmq_server.py; its
# system service is not used) for event triggers; python3-amqp publishes
# notifications in oslo.messaging's format (test_event_triggers.py).
test_pkgs+=(rabbitmq-server python3-amqp)
# python3-mistral-lib: custom Python actions (test/integration/test_python_actions.py);
# Bora never needs it to build or run.
test_pkgs+=(python3-mistral-lib)
# galera-4 and rsync: a private 3-node MariaDB Galera cluster (its state
# transfers use rsync) for test_galera.py and bora_unit_storage_galera
# (test/support/galera_cluster.py; no system service is used).
test_pkgs+=(galera-4 rsync)
# Mistral's own API tests (test/integration/test_tempest_api.py): Debian's
# tempest and mistral-tempest-plugin, run against Bora through the private
# Keystone; without them the test is skipped, so CI installs them.
test_pkgs+=(python3-tempest mistral-tempest-plugin)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--with-test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The web UI (web/) is built with Node.js and npm (docs/UI.md): Debian's
# when there are none; a newer Node.js already installed is kept.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
