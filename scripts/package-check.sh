#!/usr/bin/env bash
# Checks the packaging without Docker or Kubernetes (scripts/setup.sh package-check runs it after
# a build in DIR, default build/):
#   1. the Dockerfile passes dockerfilelint with no finding;
#   2. the packaging tests (YAML manifests, compose, image facts, unit, pool guard) pass;
#   3. promtool accepts compose's Prometheus config;
#   4. the .deb builds, unpacks with dpkg -x, its binary runs `version`, dpkg-deb -I shows the
#      conffile and Depends, its unit passes systemd-analyze verify (security score printed),
#      its pool guard refuses its own default config, lintian reports no error.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${1:-build}
lint=${IH_DOCKERFILELINT:-$build/tools/npm/node_modules/.bin/dockerfilelint}
step() { echo "--- $1"; }
die() { echo "package-check: $*" >&2; exit 1; }

step "dockerfilelint packaging/docker/Dockerfile"
[ -x "$lint" ] || die "$lint not found (scripts/setup.sh package-check installs it)"
"$lint" packaging/docker/Dockerfile

step "packaging tests"
ctest --test-dir "$build" --output-on-failure -R '^(packaging|DaemonSetTest|Kustomization|ComposeTest|PackagingYaml|Image|PoolGuard)'

step "promtool check config packaging/docker/prometheus.yml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v promtool >/dev/null 2>&1; then
  # The token file sits beside the config, as compose mounts it.
  cp packaging/docker/prometheus.yml "$tmp/prometheus.yml"
  echo test-token > "$tmp/api-token"
  promtool check config "$tmp/prometheus.yml"
else
  echo "promtool not installed: skipped"
fi

step "cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$PWD/deb" >/dev/null)
deb=$(ls "$build"/deb/infinite-hashes_*.deb)
echo "$deb ($(du -k "$deb" | cut -f1) KiB)"

step "dpkg -x, version"
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/infinite-hashes" version

step "dpkg-deb -I: conffile and Depends"
info=$(dpkg-deb -I "$deb")
echo "$info" | grep -E '^ (Depends|Recommends|Suggests):'
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/infinite-hashes/config.json ] ||
  die "conffiles does not list /etc/infinite-hashes/config.json"
echo "$info" | grep -q ' conffiles' || die "no conffiles in the control archive"
echo "$info" | grep -q '^ Depends: .*libssl3' || die "Depends lacks the shared libraries"
echo "conffiles: /etc/infinite-hashes/config.json"

step "maintainer scripts parse"
dpkg-deb -e "$deb" "$tmp/control"
for script in postinst prerm postrm; do sh -n "$tmp/control/$script" && echo "$script: ok"; done

step "the packaged unit and guard"
sh tests/packaging/verify_unit.sh "$tmp/root/usr/lib/systemd/system/infinite-hashes.service" \
  "$tmp/root/usr/bin/infinite-hashes" "$tmp/root/usr/libexec/infinite-hashes/pool-configured"
systemd-analyze security --offline=yes --no-pager \
  "$tmp/root/usr/lib/systemd/system/infinite-hashes.service" | tail -1
if IH_AGENT="$tmp/root/usr/bin/infinite-hashes" \
    "$tmp/root/usr/libexec/infinite-hashes/pool-configured" "$tmp/root/etc/infinite-hashes/config.json"; then
  die "the default config must not start the service"
fi

step "lintian"
# Errors fail the check; warnings are listed (no manual page yet).
lintian --tag-display-limit 0 "$deb" | tee "$tmp/lintian.txt" || true
if grep -q '^E:' "$tmp/lintian.txt"; then die "lintian reports errors"; fi
echo "package-check: OK"
