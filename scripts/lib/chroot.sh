# shellcheck shell=bash
# A throw-away Debian 12 root for testing packages: created with debootstrap
# from the mirror this machine's apt already uses, cached as a tarball so that
# later runs only unpack it, and entered with chroot. Needs root.
#
#   chroot_mirror                  -> prints the Debian mirror URL
#   chroot_create ROOT CACHE_TAR   -> fresh root in ROOT (a tmpfs when memory allows, unless
#                                     CHROOT_TMPFS=no) from CACHE_TAR, made first when missing
#   chroot_mount ROOT              -> proc, sys, dev, dev/pts, resolv.conf
#   chroot_bind SRC ROOT/DIR       -> bind-mounts SRC on a directory of the root
#   chroot_umount ROOT             -> unmounts everything under ROOT and ROOT itself (safe twice)
#   chroot_umount_below ROOT       -> the same but ROOT itself (a tmpfs root keeps its files)
#   chroot_run ROOT CMD...         -> runs CMD inside the root with a clean environment
#   chroot_remove ROOT             -> unmounts, then deletes ROOT without crossing mounts

CHROOT_SUITE=${CHROOT_SUITE:-bookworm}

# The first URI apt uses here for SUITE (one-line .list files or deb822
# .sources files), or nothing.
_apt_uri_for_suite() {
    local suite=$1 f uri=""
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(awk -v s="$suite" '$1 == "deb" {
                  i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                  if ($(i + 1) == s) { print $i; exit } }' "$f")
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # One stanza per blank-line separated paragraph.
        uri=$(awk -v s="$suite" 'BEGIN { RS = "" }
              { uris = ""; ok = 0; deb = 0
                n = split($0, lines, "\n")
                for (k = 1; k <= n; k++) {
                    if (lines[k] ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
                    if (lines[k] ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", lines[k]); split(lines[k], u, /[ \t]+/); uris = u[1] }
                    if (lines[k] ~ /^Suites:/) { m = split(lines[k], w, /[ \t]+/); for (j = 2; j <= m; j++) if (w[j] == s) ok = 1 }
                }
                if (deb && ok && uris != "") { print uris; exit } }' "$f")
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
}

# The Debian mirror apt uses here for the suite; Debian's own redirector when
# none is found. GLS_DEBIAN_MIRROR wins.
chroot_mirror() {
    local uri=${GLS_DEBIAN_MIRROR:-$(_apt_uri_for_suite "$CHROOT_SUITE")}
    echo "${uri:-http://deb.debian.org/debian}"
}

# The security archive: the host's, else Debian's. GLS_DEBIAN_SECURITY_MIRROR wins.
chroot_security_mirror() {
    local uri=${GLS_DEBIAN_SECURITY_MIRROR:-$(_apt_uri_for_suite "$CHROOT_SUITE-security")}
    echo "${uri:-http://deb.debian.org/debian-security}"
}

# Mount points under ROOT, deepest first.
_chroot_mounts() {
    local root
    root=$(readlink -f "$1")
    awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

chroot_umount() {
    local root=${1:?}
    [ -d "$root" ] || return 0
    local m
    for m in $(_chroot_mounts "$root"); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: cannot unmount $m" >&2
    done
}

# Like chroot_umount, but ROOT itself stays mounted (a tmpfs root keeps its files).
chroot_umount_below() {
    local root=${1:?}
    [ -d "$root" ] || return 0
    local m real
    real=$(readlink -f "$root")
    for m in $(_chroot_mounts "$root"); do
        [ "$m" != "$real" ] || continue
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: cannot unmount $m" >&2
    done
}

chroot_remove() {
    local root=${1:?}
    [ -e "$root" ] || return 0
    chroot_umount "$root"
    if [ -n "$(_chroot_mounts "$root")" ]; then
        echo "error: $root still has mounts; not deleting it" >&2
        return 1
    fi
    rm -rf --one-file-system "$root"
}

chroot_mount() {
    local root=${1:?}
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
    mountpoint -q "$root/sys" || mount -t sysfs sysfs "$root/sys" 2>/dev/null || mount --bind /sys "$root/sys"
    mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
    mkdir -p "$root/dev/pts"
    mountpoint -q "$root/dev/pts" || mount --bind /dev/pts "$root/dev/pts" 2>/dev/null || true
    # Name resolution for apt: the host's resolver, as a copy.
    rm -f "$root/etc/resolv.conf"
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

chroot_bind() {
    local src=$1 dst=$2
    mkdir -p "$src" "$dst"
    mountpoint -q "$dst" || mount --bind "$src" "$dst"
}

chroot_run() {
    local root=${1:?}
    shift
    chroot "$root" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# Builds the cache tarball once: debootstrap (minbase) into ROOT (empty), apt
# sources for the suite, its updates and security, no service starts, fresh
# package lists.
_chroot_bootstrap() {
    local root=${1:?} tar=${2:?}
    local mirror security
    mirror=$(chroot_mirror)
    security=$(chroot_security_mirror)
    echo "debootstrap --variant=minbase $CHROOT_SUITE from $mirror (once; cached in $tar)" >&2
    if ! debootstrap --variant=minbase "$CHROOT_SUITE" "$root" "$mirror" >"$tar.debootstrap.log" 2>&1; then
        echo "error: debootstrap failed; last lines of $tar.debootstrap.log:" >&2
        tail -n 20 "$tar.debootstrap.log" >&2
        chroot_umount_below "$root"
        return 1
    fi
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $CHROOT_SUITE $CHROOT_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $CHROOT_SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    chroot_mount "$root"
    local rc=0
    chroot_run "$root" apt-get update -qq || rc=$?
    chroot_run "$root" apt-get clean
    chroot_umount_below "$root"
    [ $rc -eq 0 ] || { echo "error: apt-get update failed inside the new root" >&2; return 1; }
    tar --numeric-owner -C "$root" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
}

# Available memory in MiB.
_mem_available_mib() {
    awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo
}

# A fresh root in ROOT: in a tmpfs when memory allows (deleting a root of
# several hundred MB from a busy disk takes a minute, unmounting a tmpfs
# nothing), unless CHROOT_TMPFS=no; then the cached tarball is unpacked into
# it, or made first when missing.
chroot_create() {
    local root=${1:?} tar=${2:?}
    chroot_remove "$root" || return 1
    mkdir -p "$root"
    if [ "${CHROOT_TMPFS:-auto}" != no ] && [ "$(_mem_available_mib)" -ge 4096 ]; then
        mount -t tmpfs -o size=3g,mode=755 gls-pkgtest "$root"
    fi
    if [ -s "$tar" ]; then
        tar --numeric-owner -C "$root" -xf "$tar"
    else
        command -v debootstrap >/dev/null || { echo "error: debootstrap is not installed" >&2; return 1; }
        _chroot_bootstrap "$root" "$tar" || return 1
    fi
    # A test root: dpkg need not fsync every file it writes.
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/gls-pkgtest-unsafe-io"
}
