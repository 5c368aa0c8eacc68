#!/bin/sh
# run-without-wx.sh COMMAND [ARGS...]: runs COMMAND under the kernel's memory-deny-write-execute
# (prctl PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN; Linux 6.3+): no mapping both writable and
# executable, none made executable later. That is what systemd's MemoryDenyWriteExecute=
# enforces, so this tells whether a device path (CUDA, OpenCL) could run under it.
# Exit status 77 where the kernel lacks it. perl is in every Debian base system (perl-base); the
# prctl is a raw syscall.
set -eu
case $(uname -m) in
  x86_64) nr=157 ;;
  aarch64) nr=167 ;;
  *) echo "run-without-wx: unknown prctl syscall number on $(uname -m)" >&2; exit 2 ;;
esac
exec perl -e '
  my $nr = shift;
  if (syscall($nr, 65, 1, 0, 0, 0) != 0) { print STDERR "run-without-wx: prctl(PR_SET_MDWE): $!\n"; exit 77 }
  exec { $ARGV[0] } @ARGV or die "run-without-wx: $ARGV[0]: $!\n";' "$nr" "$@"
