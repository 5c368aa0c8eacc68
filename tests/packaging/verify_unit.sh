#!/bin/sh
# verify_unit.sh UNIT AGENT GUARD: `systemd-analyze verify` on the unit with its executables
# pointed at AGENT and GUARD (a build's, not yet installed ones). Any finding fails; exit 77
# (skipped) where systemd-analyze is missing, e.g. in a container build stage.
set -eu
unit=$1 agent=$2 guard=$3
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not found"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -e "s|/usr/bin/infinite-hashes|$agent|g" \
    -e "s|/usr/libexec/infinite-hashes/pool-configured|$guard|g" "$unit" > "$dir/$(basename "$unit")"
if ! out=$(systemd-analyze verify "$dir/$(basename "$unit")" 2>&1) || [ -n "$out" ]; then
  echo "systemd-analyze verify $unit:"
  echo "$out"
  exit 1
fi
echo "systemd-analyze verify: no findings"
