#!/bin/sh
# Builds the Debian package from target/dist (run `mvn -B package` first):
#   packaging/build-deb.sh            -> target/check-socket-backlog_VERSION_ARCH.deb
# dpkg-deb is enough: the package is a file layout, the launcher with its home fixed, and
# maintainer scripts that make the class archive at install time.
set -eu

top=$(cd -- "$(dirname -- "$0")/.." && pwd)
dist=$top/target/dist
[ -r "$dist/lib/check-socket-backlog.jar" ] || { echo "build-deb: no $dist; run mvn -B package first" >&2; exit 1; }

version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$top/pom.xml" | head -n 1)
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
install -m 644 "$dist/native/$jna_arch/libjnidispatch.so" "$root/$home/native/$jna_arch/"
# The launcher, with its home fixed (it is a copy, not a symlink, in the plugin directory).
sed "s|^CSB_HOME=\$|CSB_HOME=/$home|" "$top/src/main/sh/check_socket_backlog" >"$root/usr/lib/nagios/plugins/check_socket_backlog"
chmod 755 "$root/usr/lib/nagios/plugins/check_socket_backlog"
grep -q "^CSB_HOME=/$home\$" "$root/usr/lib/nagios/plugins/check_socket_backlog" \
    || { echo "build-deb: the launcher's CSB_HOME= line was not found" >&2; exit 1; }

gzip -9n <"$top/docs/check_socket_backlog.1" >"$root/usr/share/man/man1/check_socket_backlog.1.gz"
install -m 644 "$top/README.md" "$top/docs/user-guide.md" "$top/docs/perfdata-labels.md" "$root/$doc/"
install -m 644 "$top/packaging/debian/copyright" "$root/$doc/copyright"
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
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" \
    "$top/packaging/debian/control.in" >"$root/DEBIAN/control"

out=$top/target/check-socket-backlog_${version}_$arch.deb
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "$out"
