# Installs the Debian 12 packages the build, the tests and the demo need, when
# any is missing. Only Debian's archive is used.
GLS_DEBIAN_PACKAGES=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-tools-dev qt6-charts-dev qt6-svg-dev
    # Qt6Charts' CMake package needs Qt6OpenGL's, which qt6-charts-dev does not depend on
    libqt6opengl6-dev
    libqt6sql6-sqlite qtkeychain-qt6-dev libssl-dev libzip-dev
    xvfb xauth dbus gnome-keyring libsecret-tools unzip openssl curl
    # packaging (scripts/package.sh): icons, .deb dependencies, validation of the desktop files
    librsvg2-bin dpkg-dev fakeroot file desktop-file-utils appstream gzip
)

# Only scripts/fuzz.sh needs these: clang with libFuzzer and the sanitizer runtimes.
GLS_FUZZ_PACKAGES=(clang libclang-rt-dev llvm)

ensure_packages() {
    local missing=()
    local p
    for p in "${GLS_DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# clang, libFuzzer and llvm-symbolizer for scripts/fuzz.sh, when missing.
ensure_fuzz_packages() {
    (GLS_DEBIAN_PACKAGES=("${GLS_FUZZ_PACKAGES[@]}"); ensure_packages)
}
