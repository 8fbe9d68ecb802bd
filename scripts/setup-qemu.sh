#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Set-up for the real-kernel VFIO test (make test-vfio): QEMU 10.0 from bookworm-backports on the
# host, and — downloaded as .debs and extracted under build/vfio/, never installed into the host —
# Debian's kernel (linux-image-amd64) and busybox-static for the guest. Idempotent; quick once done.
# Exits non-zero, loudly, when something cannot be had: the test must never pass without QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
CACHE=build/vfio/debs
ROOT=build/vfio/pkgroot

# 1. QEMU from bookworm-backports. Plain bookworm's qemu-system-x86 (7.2) would pull bookworm's
#    qemu-utils over the installed backports one, so pin the backports suite for the install.
qemu_ok() {
    command -v qemu-system-x86_64 >/dev/null &&
        qemu-system-x86_64 --version | head -1 | grep -qE 'version (9|1[0-9])\.'
}
if ! qemu_ok; then
    src=/etc/apt/sources.list.d/bookworm-backports.sources
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        echo "setup-qemu: adding the bookworm-backports suite to apt's sources ($src)"
        $SUDO tee "$src" >/dev/null <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
    echo "setup-qemu: installing qemu-system-x86 from bookworm-backports"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -t bookworm-backports qemu-system-x86
    if ! qemu_ok; then
        echo "setup-qemu: FAILED: qemu-system-x86_64 >= 9 is not available" >&2
        exit 1
    fi
fi

# 2. Guest kernel + busybox: .debs fetched with apt-get download, extracted with dpkg-deb -x.
stamp=build/vfio/.pkgroot-ok
if [ ! -f "$stamp" ]; then
    mkdir -p "$CACHE" "$ROOT"
    # linux-image-amd64 is a metapackage: resolve the real image package it depends on.
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    if [ -z "$kpkg" ]; then
        $SUDO apt-get update -qq
        kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    fi
    [ -n "$kpkg" ] || { echo "setup-qemu: FAILED: cannot resolve linux-image-amd64" >&2; exit 1; }
    echo "setup-qemu: downloading $kpkg and busybox-static into $CACHE"
    fetch() { (cd "$CACHE" && apt-get -o APT::Sandbox::User=root download -qq "$kpkg" busybox-static); }
    fetch || { $SUDO apt-get update -qq && fetch; } ||
        { echo "setup-qemu: FAILED: cannot download $kpkg / busybox-static" >&2; exit 1; }
    rm -rf "$ROOT" && mkdir -p "$ROOT"
    for deb in "$CACHE"/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
    ls "$ROOT"/boot/vmlinuz-* >/dev/null && [ -x "$ROOT/bin/busybox" ] ||
        { echo "setup-qemu: FAILED: kernel or busybox missing after extraction" >&2; exit 1; }
    touch "$stamp"
fi
echo "setup-qemu: $(qemu-system-x86_64 --version | head -1); kernel $(basename "$(ls "$ROOT"/boot/vmlinuz-* | head -1)")"
