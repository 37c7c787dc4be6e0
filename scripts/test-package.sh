#!/usr/bin/env bash
# Tests the Debian package the way a user meets it: builds it (scripts/package.sh),
# checks its contents list, validates its desktop file and AppStream metainfo,
# then installs it with apt into a clean Debian 12 root (debootstrap, minbase,
# from the mirror this machine's apt uses) so its dependencies come from Debian,
# and runs the installed programs there.
#
#   scripts/test-package.sh [--no-build] [--packages DIR] [--keep-root]
#
# The fresh root is cached as build/pkgtest/bookworm-minbase.tar (made once,
# about a minute); downloaded .debs are kept in build/pkgtest/apt-archives.
# Delete build/pkgtest to start over. Needs root (chroot, mount).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        exec sudo --preserve-env=BUILD_DIR,GLS_DEBIAN_MIRROR,GLS_DEBIAN_SECURITY_MIRROR bash "$0" "$@"
    fi
    echo "error: test-package.sh needs root (debootstrap, chroot and mount); run it as root or install sudo" >&2
    exit 2
fi

build_packages=1
keep_root=0
packages=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build_packages=0 ;;
        --packages) packages=$(readlink -f "$2"); shift ;;
        --packages=*) packages=$(readlink -f "${1#*=}") ;;
        --keep-root) keep_root=1; export CHROOT_TMPFS=no ;;  # a tmpfs root would vanish
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

build=${BUILD_DIR:-$here/build}
packages=${packages:-$build/packages}
work=$build/pkgtest
root=$work/root
cache_tar=$work/bookworm-minbase.tar
extract=$work/extracted

. scripts/lib/deps.sh
. scripts/lib/chroot.sh

# --- bookkeeping: checks and phase times -------------------------------------
check_names=()
check_results=()
phase_names=()
phase_times=()
phase_name=""
phase_t0=0
log=$work/check.log

now() { date +%s.%N; }
phase() {
    phase_end
    phase_name=$1
    phase_t0=$(now)
    echo "== $1"
}
phase_end() {
    [ -n "$phase_name" ] || return 0
    phase_names+=("$phase_name")
    phase_times+=("$(awk -v a="$phase_t0" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }')")
    phase_name=""
}
pass() { check_names+=("$1"); check_results+=(PASS); echo "PASS  $1"; }
fail() {
    check_names+=("$1"); check_results+=(FAIL); echo "FAIL  $1"
    shift
    [ $# -eq 0 ] || printf '      %s\n' "$@"
}
# check NAME CMD...: PASS when CMD exits 0; its output is shown on failure.
check() {
    local name=$1
    shift
    if "$@" >"$log" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/      | /' "$log" | tail -n 30
    fi
}

# The script's own stdout/stderr, for the summary even when a signal arrives
# while a check's output is redirected to its log.
exec 3>&1 4>&2
summary() {
    local rc=$?
    exec 1>&3 2>&4
    phase_end
    set +e
    if [ -d "$root" ]; then
        if [ $keep_root -eq 1 ]; then chroot_umount_below "$root"; else chroot_umount "$root"; fi
    fi
    echo
    echo "== Summary"
    local i failed=0
    for i in "${!check_names[@]}"; do
        printf '%s  %s\n' "${check_results[$i]}" "${check_names[$i]}"
        [ "${check_results[$i]}" = PASS ] || failed=$((failed + 1))
    done
    echo "-- phases"
    for i in "${!phase_names[@]}"; do
        printf '%8s  %s\n' "${phase_times[$i]}" "${phase_names[$i]}"
    done
    if [ $rc -ne 0 ]; then
        echo "test-package.sh stopped early (exit $rc) in: ${phase_names[-1]:-start}"
        [ $failed -ne 0 ] || failed=1
    fi
    echo "-- ${#check_names[@]} checks, $failed failed"
    if [ $failed -ne 0 ]; then
        exit 1
    fi
    exit 0
}
trap summary EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"

# --- 1. the packages -----------------------------------------------------------
phase "host tools"
(GLS_DEBIAN_PACKAGES=(debootstrap desktop-file-utils appstream dpkg-dev); ensure_packages)

if [ $build_packages -eq 1 ]; then
    phase "build packages (scripts/package.sh)"
    PACKAGE_OUT_DIR="$packages" bash scripts/package.sh
fi

phase "package files"
shopt -s nullglob
debs=("$packages"/gls-exporter_*_amd64.deb)
emu_debs=("$packages"/gls-exporter-emulator_*_amd64.deb)
tars=("$packages"/*.tar.gz)
shopt -u nullglob
if [ ${#debs[@]} -ne 1 ]; then
    fail "exactly one gls-exporter_<version>_amd64.deb in $packages" "found: ${debs[*]:-none}"
    exit 1
fi
deb=${debs[0]}
pass "gls-exporter package: $(basename "$deb")"
if [ ${#emu_debs[@]} -eq 1 ]; then pass "emulator package: $(basename "${emu_debs[0]}")"
else fail "exactly one gls-exporter-emulator_<version>_amd64.deb" "found: ${emu_debs[*]:-none}"; fi
if [ ${#tars[@]} -ge 1 ]; then
    tarball_ok() {
        local l
        l=$(tar -tzf "$1") || return 1
        if ! grep -Eq '(^|/)bin/gls-exporter$' <<<"$l" || ! grep -Eq '(^|/)bin/gls-exporter-cli$' <<<"$l"; then
            echo "bin/gls-exporter or bin/gls-exporter-cli missing"
            return 1
        fi
        ! grep -E '(^|/)tst_|^/|/work/|CMakeFiles' <<<"$l"
    }
    check "tarball $(basename "${tars[0]}") holds gls-exporter and gls-exporter-cli, no build paths" \
        tarball_ok "${tars[0]}"
else
    fail "a .tar.gz in $packages"
fi

version=$(dpkg-deb -f "$deb" Version)
upstream=${version#*:}
upstream=${upstream%-*}
echo "package version $version (program version expected: $upstream)"

# --- 2. control fields and contents list ---------------------------------------
phase "control fields and contents"
control_ok() {
    local f missing=()
    for f in Package Version Architecture Maintainer Section Description Depends; do
        [ -n "$(dpkg-deb -f "$deb" "$f")" ] || missing+=("$f")
    done
    [ ${#missing[@]} -eq 0 ] || { echo "empty or missing control fields: ${missing[*]}"; return 1; }
    dpkg-deb -f "$deb" Package Version Architecture Section Maintainer Depends
}
check "control fields (Package, Version, Architecture, Maintainer, Section, Description, Depends)" control_ok
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends names libqt6core6 (computed by dpkg-shlibdeps)" grep -q 'libqt6core6' <<<"$depends"
check "Depends names qt6-qpa-plugins (the GUI needs a platform plugin)" grep -q 'qt6-qpa-plugins' <<<"$depends"
check "Depends does not name the emulator package" bash -c "! grep emulator" <<<"$depends"

contents=$(dpkg-deb -c "$deb" | awk '{ p = $6; for (i = 7; i <= NF; i++) p = p " " $i; sub(/ -> .*/, "", p); sub(/^\.\//, "/", p); print p }')
app_id=io.github.glsexporter.GlsExporter
has() {
    local pattern=$1
    grep -Eq "^${pattern}\$" <<<"$contents"
}
for f in /usr/bin/gls-exporter /usr/bin/gls-exporter-cli \
         /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
         /usr/share/man/man1/gls-exporter-cli.1.gz /usr/share/bash-completion/completions/gls-exporter-cli; do
    check "contains $f" has "${f//./\\.}"
done
check "contains a scalable SVG icon" has "/usr/share/icons/hicolor/scalable/apps/[^/]+\.svg"
check "contains a 48x48 PNG icon" has "/usr/share/icons/hicolor/48x48/apps/[^/]+\.png"
check "contains a 256x256 PNG icon" has "/usr/share/icons/hicolor/256x256/apps/[^/]+\.png"
unwanted() {
    local what=$1 pattern=$2 hits
    hits=$(grep -E "$pattern" <<<"$contents" || true)
    if [ -n "$hits" ]; then
        local lines
        mapfile -t lines <<<"$hits"
        fail "no $what" "${lines[@]}"
    else
        pass "no $what"
    fi
}
unwanted "emulator (gls-emulator) or bench files" '(^|/)gls-(bench|emulator)[^/]*$|emulator'
unwanted "test files (tst_*)" '(^|/)tst_[^/]*$'
unwanted "build paths (/tmp/, /work/, build/) in file names" '^/tmp/|/work/|(^|/)build/|CMakeFiles|\.o$|CMakeCache'
unwanted "files under /usr/local" '^/usr/local(/|$)'
if [ ${#emu_debs[@]} -eq 1 ]; then
    emulator_deb_ok() { dpkg-deb -c "$1" | grep -q '\./usr/bin/gls-emulator$'; }
    check "emulator package contains /usr/bin/gls-emulator" emulator_deb_ok "${emu_debs[0]}"
fi

# --- 3. desktop file and metainfo, on the host ----------------------------------
phase "desktop file and metainfo validation"
rm -rf "$extract"
dpkg-deb -x "$deb" "$extract"
desktop=$extract/usr/share/applications/$app_id.desktop
metainfo=$extract/usr/share/metainfo/$app_id.metainfo.xml
if [ -f "$desktop" ]; then
    check "desktop-file-validate $app_id.desktop" desktop-file-validate "$desktop"
else
    fail "desktop-file-validate $app_id.desktop" "file missing"
fi
if [ -f "$metainfo" ]; then
    check "appstreamcli validate --no-net $app_id.metainfo.xml" appstreamcli validate --no-net "$metainfo"
    check "metainfo has a release for version $upstream" grep -q "<release[^>]*version=\"$upstream\"" "$metainfo"
    check "metainfo has a screenshot" grep -q "<screenshot" "$metainfo"
else
    fail "appstreamcli validate --no-net $app_id.metainfo.xml" "file missing"
fi

# --- 4. a clean Debian 12 root ------------------------------------------------------
phase "clean Debian 12 root ($(chroot_mirror))"
chroot_create "$root" "$cache_tar"
chroot_mount "$root"
chroot_bind "$work/apt-archives" "$root/var/cache/apt/archives"
mkdir -p "$root/tmp/pkg"
cp "$deb" "$root/tmp/pkg/"
[ ${#emu_debs[@]} -eq 0 ] || cp "${emu_debs[0]}" "$root/tmp/pkg/"  # present, never installed

phase "apt-get update in the root"
chroot_run "$root" apt-get update -qq

phase "apt-get install ./$(basename "$deb") in the root"
check "apt-get install -y ./$(basename "$deb") (dependencies from Debian)" \
    chroot_run "$root" sh -c 'cd /tmp/pkg && apt-get install -y ./gls-exporter_*.deb'
installed_ok() {
    local status
    # shellcheck disable=SC2016 # dpkg-query's own ${Field} syntax
    status=$(chroot_run "$root" dpkg-query -W -f='${Status} ${Version}' gls-exporter 2>&1)
    echo "$status"
    [ "$status" = "install ok installed $version" ]
}
check "dpkg says gls-exporter $version is installed" installed_ok
no_emulator() {
    [ ! -e "$root/usr/bin/gls-emulator" ] || { echo "/usr/bin/gls-emulator exists"; return 1; }
    ! chroot_run "$root" sh -c 'command -v gls-emulator' || { echo "gls-emulator is on PATH"; return 1; }
    # shellcheck disable=SC2016 # dpkg-query's own ${Field} syntax
    if chroot_run "$root" dpkg-query -W -f='${Status}' gls-exporter-emulator 2>/dev/null | grep -q ' installed$'; then
        echo "gls-exporter-emulator is installed"
        return 1
    fi
}
check "emulator not installed (no gls-emulator, no gls-exporter-emulator package)" no_emulator

# --- 5. the installed programs ---------------------------------------------------------
phase "run the installed programs"
cli_version() {
    local out
    out=$(chroot_run "$root" gls-exporter-cli --version 2>&1) || { echo "$out"; return 1; }
    echo "$out"
    grep -qF "$upstream" <<<"$out" || { echo "does not show the package version $upstream"; return 1; }
}
check "gls-exporter-cli --version shows $upstream" cli_version
cli_help() {
    local out
    out=$(chroot_run "$root" gls-exporter-cli --help 2>&1) || { echo "$out"; echo "(exit status non-zero)"; return 1; }
    echo "$out"
    grep -qi 'command' <<<"$out" || { echo "--help does not mention commands"; return 1; }
}
check "gls-exporter-cli --help exits 0 and lists commands" cli_help
gui_version() {
    local out rc=0
    out=$(chroot_run "$root" env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp gls-exporter --version 2>&1) || rc=$?
    echo "$out"
    if [ $rc -ne 0 ]; then
        echo "gls-exporter --version failed (exit $rc) under QT_QPA_PLATFORM=offscreen."
        if grep -qi 'platform plugin' <<<"$out"; then
            echo "Qt found no 'offscreen' platform plugin: the package must depend on qt6-qpa-plugins."
        fi
        if grep -q 'error while loading shared libraries' <<<"$out"; then
            echo "A shared library is missing: the package's Depends is incomplete."
        fi
        return 1
    fi
    grep -qF "$upstream" <<<"$out" || { echo "does not show the package version $upstream"; return 1; }
}
check "gls-exporter --version (offscreen) shows $upstream" gui_version
man_page() {
    local f=$root/usr/share/man/man1/gls-exporter-cli.1.gz
    [ -f "$f" ] || { echo "$f missing"; return 1; }
    zcat "$f" | grep -q '^\.TH' || { echo "not a man page (no .TH)"; return 1; }
    if chroot "$root" sh -c 'command -v man' >/dev/null; then
        chroot_run "$root" man -w gls-exporter-cli
    fi
}
check "man page gls-exporter-cli(1) installed and readable" man_page
completion() {
    local f=$root/usr/share/bash-completion/completions/gls-exporter-cli
    [ -f "$f" ] || { echo "$f missing"; return 1; }
    chroot_run "$root" bash -n /usr/share/bash-completion/completions/gls-exporter-cli
}
check "bash completion installed (bash -n clean)" completion
desktop_targets() {
    local d=$root/usr/share/applications/$app_id.desktop exe icon
    exe=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$d" | head -n1)
    icon=$(sed -n 's/^Icon=//p' "$d" | head -n1)
    chroot "$root" sh -c "command -v '$exe'" || { echo "Exec=$exe is not on PATH in the root"; return 1; }
    ls "$root"/usr/share/icons/hicolor/*/apps/"$icon".* || { echo "Icon=$icon has no file under hicolor"; return 1; }
}
check "desktop file's Exec and Icon exist in the root" desktop_targets

phase "clean up"
chroot_run "$root" apt-get autoclean -qq >/dev/null || true  # drops superseded .debs from the cache
rm -rf "$extract"
if [ $keep_root -eq 0 ]; then
    chroot_remove "$root"
else
    chroot_umount_below "$root"
    echo "root kept in $root"
fi
