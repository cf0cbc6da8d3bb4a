#!/bin/sh
# Debian's nrpe is built without command-argument support (NEWS.Debian, 2.15-1): check_nrpe -a is
# refused there. EPEL's nrpe, and nrpe built by hand with --enable-command-args, take them, and that
# is what the $ARGn$ NRPE snippet is for. To test the snippet for real, build nrpe that way from
# Debian's own source package: build-nrpe-with-args.sh DIR  -> DIR/nrpe
set -eu
dir=$1
mkdir -p "$dir"
sources=/etc/apt/sources.list.d/check-socket-backlog-e2e-src.sources
trap 'rm -f "$sources"' EXIT
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$sources"
apt-get update -qq </dev/null >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev gcc make libssl-dev \
    </dev/null >/dev/null
cd "$dir"
apt-get source -qq nagios-nrpe </dev/null >/dev/null 2>&1
src=$(find . -maxdepth 1 -type d -name 'nagios-nrpe-*' | head -n 1)
cd "$src"
./configure --enable-command-args --with-nrpe-user=nagios --with-nrpe-group=nagios >configure.log 2>&1
make nrpe >make.log 2>&1
cp src/nrpe "$dir/nrpe"
echo "$dir/nrpe"
