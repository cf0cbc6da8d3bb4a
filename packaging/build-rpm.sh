#!/bin/sh
# Builds the RPM from target/dist (run `mvn -B package` first) with rpmbuild, which Debian's "rpm"
# package provides too:  packaging/build-rpm.sh  -> target/rpm/RPMS/<arch>/check-socket-backlog-*.rpm
set -eu

top=$(cd -- "$(dirname -- "$0")/.." && pwd)
dist=$top/target/dist
[ -r "$dist/lib/check-socket-backlog.jar" ] || { echo "build-rpm: no $dist; run mvn -B package first" >&2; exit 1; }
command -v rpmbuild >/dev/null || { echo "build-rpm: rpmbuild not found (Debian: apt-get install rpm)" >&2; exit 1; }
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$top/pom.xml" | head -n 1)

rpmbuild -bb --quiet \
    --define "_topdir $top/target/rpm" \
    --define "csb_version $version" \
    --define "dist_dir $dist" \
    --define "top_dir $top" \
    "$top/packaging/rpm/check-socket-backlog.spec" >&2
find "$top/target/rpm/RPMS" -name '*.rpm'
