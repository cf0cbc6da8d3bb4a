#!/bin/sh
# Builds the Debian package from target/dist (run `mvn -B package` first):
#   packaging/build-deb.sh            -> target/check-socket-backlog_VERSION_ARCH.deb
# dpkg-deb is enough: the package is a file layout, the launcher with its home fixed, and
# maintainer scripts that make the class archive at install time. It needs binutils (strip and
# objdump, for the bundled JNA stub) besides dpkg; `lintian` on the result reports nothing
# (packaging/README.md, "Debian package").
set -eu
# Whatever the caller's umask, files 644 and directories 755 in the package.
umask 022

top=$(cd -- "$(dirname -- "$0")/.." && pwd)
dist=$top/target/dist
[ -r "$dist/lib/check-socket-backlog.jar" ] || { echo "build-deb: no $dist; run mvn -B package first" >&2; exit 1; }

for tool in strip objdump; do
    command -v $tool >/dev/null || { echo "build-deb: $tool not found (Debian: apt-get install binutils)" >&2; exit 1; }
done

# The package's version is the top entry of the Debian changelog: the project's version (pom.xml)
# and a Debian revision, which goes up when only the packaging changes.
upstream=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$top/pom.xml" | head -n 1)
changelog=$top/packaging/debian/changelog
version=$(sed -n '1s|^check-socket-backlog (\([^)]*\)) .*|\1|p' "$changelog")
case $version in
    "$upstream"-[0-9]*) ;;
    *) echo "build-deb: packaging/debian/changelog's top entry is \"${version:-no version}\", not $upstream-N (pom.xml has $upstream): add an entry" >&2
       exit 1 ;;
esac
arch=$(dpkg --print-architecture)
case $arch in
    amd64) jna_arch=linux-x86-64 ;;
    arm64) jna_arch=linux-aarch64 ;;
    ppc64el) jna_arch=linux-ppc64le ;;
    s390x) jna_arch=linux-s390x ;;
    riscv64) jna_arch=linux-riscv64 ;;
    *) echo "build-deb: no JNA stub mapping for $arch" >&2; exit 1 ;;
esac

root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
home=usr/lib/check-socket-backlog
doc=usr/share/doc/check-socket-backlog

install -d "$root/$home/lib" "$root/$home/native/$jna_arch" "$root/usr/lib/nagios/plugins" \
    "$root/usr/share/man/man1" "$root/$doc/examples" "$root/etc/nagios/nrpe.d" \
    "$root/etc/nagios-plugins/config" "$root/usr/share/icinga2/include/plugins-contrib.d" "$root/DEBIAN"

install -m 644 "$dist"/lib/*.jar "$root/$home/lib/"
# Only this architecture's JNA stub, at a fixed place: nothing is unpacked into /tmp at run time.
# Stripped as dh_strip strips a shared library (target/dist keeps JNA's file as it came).
stub=$root/$home/native/$jna_arch/libjnidispatch.so
install -m 644 "$dist/native/$jna_arch/libjnidispatch.so" "$stub"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stub"
# The stub needs only libc (JNA links libffi in): the newest GLIBC_ symbol version it names.
glibc=$(objdump -T "$stub" | sed -n 's/.*GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -u -t . -k 1,1n -k 2,2n -k 3,3n | tail -n 1)
[ -n "$glibc" ] || { echo "build-deb: no GLIBC_ symbol version in $stub" >&2; exit 1; }
# The launcher, with its home fixed (it is a copy, not a symlink, in the plugin directory).
sed "s|^CSB_HOME=\$|CSB_HOME=/$home|" "$top/src/main/sh/check_socket_backlog" >"$root/usr/lib/nagios/plugins/check_socket_backlog"
chmod 755 "$root/usr/lib/nagios/plugins/check_socket_backlog"
grep -q "^CSB_HOME=/$home\$" "$root/usr/lib/nagios/plugins/check_socket_backlog" \
    || { echo "build-deb: the launcher's CSB_HOME= line was not found" >&2; exit 1; }

gzip -9n <"$top/docs/check_socket_backlog.1" >"$root/usr/share/man/man1/check_socket_backlog.1.gz"
# The documentation in the repository's layout (README.md, docs/, packaging/README.md), so that
# every relative link in it resolves in /usr/share/doc/check-socket-backlog as in a clone
# (packaging/test/deb-docs.sh checks it). Not compressed: a link to user-guide.md does not reach
# user-guide.md.gz (dh_compress leaves .html alone for the same reason).
install -d "$root/$doc/docs" "$root/$doc/packaging"
install -m 644 "$top/README.md" "$root/$doc/"
install -m 644 "$top"/docs/*.md "$root/$doc/docs/"
install -m 644 "$top/packaging/README.md" "$root/$doc/packaging/"
install -m 644 "$top/packaging/debian/copyright" "$root/$doc/copyright"
gzip -9n <"$changelog" >"$root/$doc/changelog.Debian.gz"
install -d "$root/usr/share/lintian/overrides"
install -m 644 "$top/packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/check-socket-backlog"
install -m 644 "$top/packaging/cron/check_socket_backlog" "$root/$doc/examples/cron.d-check_socket_backlog"
install -m 644 "$top/packaging/icinga2/per-socket-services.conf" "$top/packaging/nagios/per-socket-services.cfg" \
    "$top/packaging/extra-opts/check_socket_backlog.ini" "$root/$doc/examples/"
install -m 644 "$top/packaging/nrpe/check_socket_backlog.cfg" "$root/etc/nagios/nrpe.d/check_socket_backlog.cfg"
install -m 644 "$top/packaging/nagios/check_socket_backlog.cfg" "$root/etc/nagios-plugins/config/check_socket_backlog.cfg"
install -m 644 "$top/packaging/icinga2/check_socket_backlog.conf" \
    "$root/usr/share/icinga2/include/plugins-contrib.d/check_socket_backlog.conf"

install -m 755 "$top/packaging/debian/postinst" "$top/packaging/debian/postrm" "$root/DEBIAN/"
install -m 644 "$top/packaging/debian/triggers" "$root/DEBIAN/triggers"
printf '%s\n' /etc/nagios/nrpe.d/check_socket_backlog.cfg /etc/nagios-plugins/config/check_socket_backlog.cfg \
    >"$root/DEBIAN/conffiles"
# Checksums for dpkg --verify and debsums, of every file but the conffiles (dpkg keeps theirs), as
# dh_md5sums makes them.
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort \
    | grep -v -x -F "$(sed 's|^/||' DEBIAN/conffiles)" | xargs md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@LIBC@|libc6 (>= $glibc)|" \
    "$top/packaging/debian/control.in" >"$root/DEBIAN/control"

out=$top/target/check-socket-backlog_${version}_$arch.deb
# Only this build's package in target/, so that `apt-get install ./target/check-socket-backlog_*.deb`
# (README, "Install") names one file, not also an older version's.
rm -f "$top"/target/check-socket-backlog_*.deb
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "$out"
