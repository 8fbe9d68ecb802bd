#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make test-vfio: the project's VFIO code on a real Linux kernel. Boots Debian's kernel under QEMU
# (TCG: KVM is not available on these machines) with an emulated VT-d IOMMU and QEMU's `edu` PCI
# device, and runs tests/vfio/guest (statically linked) in an initramfs with busybox and the VFIO
# modules: bind edu to vfio-pci, open, BAR0 mmap, DMA map, DMA round trips through the IOMMU,
# unmap, reset, teardown, and the error cases (see docs/vfio.md).
# Last line: `vfio-qemu: <n> passed, <m> failed`. Exits non-zero on any failure, and when QEMU or
# the guest kernel cannot be had: this test never passes without running.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=build/vfio
fail() { echo "test-vfio: $*" >&2; echo "vfio-qemu: 0 passed, 1 failed"; exit 1; }

scripts/setup-qemu.sh || fail "set-up failed (QEMU from bookworm-backports, linux-image-amd64, busybox-static)"
PKG=$W/pkgroot
KVER=$(basename "$(ls -d $PKG/lib/modules/*/ | head -1)")
KERNEL=$PKG/boot/vmlinuz-$KVER
[ -f "$KERNEL" ] || fail "no kernel at $KERNEL"

# 1. The guest test program, static.
echo "test-vfio: building the guest test program (static)"
( cd tests/vfio/guest &&
  RUSTFLAGS="-C target-feature=+crt-static" CARGO_TARGET_DIR="$ROOT/$W/target" \
  cargo build -q --release --locked --target x86_64-unknown-linux-gnu ) || fail "guest build failed"
BIN=$W/target/x86_64-unknown-linux-gnu/release/tickwire-vfio-guest

# 2. The initramfs: busybox, /init, the test program, vfio modules and their dependencies.
IR=$W/initramfs
rm -rf "$IR" && mkdir -p "$IR"/{bin,proc,sys,dev,modules,tmp}
cp "$PKG/bin/busybox" "$IR/bin/busybox"
cp tests/vfio/init "$IR/init" && chmod +x "$IR/init"
cp "$BIN" "$IR/tvfio"
MODDIR=$PKG/lib/modules/$KVER/kernel
order=()
add_module() {   # depth-first: dependencies (from the module's .modinfo) before the module
    local name=$1 f deps d
    for d in "${order[@]}"; do [ "$d" = "$name" ] && return 0; done
    f=$(find "$MODDIR" -name "$name.ko" -o -name "${name//_/-}.ko" | head -1)
    [ -n "$f" ] || fail "module $name not in $KVER"
    deps=$(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | head -1)
    for d in ${deps//,/ }; do add_module "$d"; done
    cp "$f" "$IR/modules/$name.ko"
    order+=("$name")
}
for m in vfio vfio_iommu_type1 vfio-pci; do add_module "$m"; done
printf '%s\n' "${order[@]}" > "$IR/modules.order"
( cd "$IR" && find . | "$ROOT/$PKG/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1 ) > $W/initramfs.cpio.gz

# 3. Boot. edu sits behind a PCIe root port so that VFIO can reset it (secondary bus reset).
echo "test-vfio: booting $KVER under QEMU (TCG) with intel-iommu + edu"
LOG=$W/guest.log
set +e
timeout 240 qemu-system-x86_64 \
    -machine q35 -accel tcg -cpu max -m 512 -smp 1 \
    -device intel-iommu,intremap=on \
    -device pcie-root-port,id=rp1,chassis=1,slot=1 \
    -device edu,bus=rp1 \
    -kernel "$KERNEL" -initrd $W/initramfs.cpio.gz \
    -append "console=ttyS0 intel_iommu=on iommu=nopt quiet loglevel=4 panic=-1" \
    -nographic -no-reboot -serial mon:stdio </dev/null > "$LOG" 2>&1
qrc=$?
set -e
tr -d '\r' < "$LOG" | grep -E '^(ok|FAIL|#|guest:|vfio-guest:)' || true
[ $qrc -eq 124 ] && echo "test-vfio: QEMU timed out after 240 s (full log: $LOG)"

# 4. Count. Every phase must have reported; a missing summary is a failure.
passed=$(tr -d '\r' < "$LOG" | grep -c '^ok - ' || true)
failed=$(tr -d '\r' < "$LOG" | grep -c '^FAIL - ' || true)
phases=$(tr -d '\r' < "$LOG" | grep -c '^vfio-guest: ' || true)
if [ "$phases" -ne 2 ]; then
    echo "test-vfio: expected 2 phase summaries from the guest, saw $phases (full log: $LOG)"
    failed=$((failed + 1))
fi
echo "vfio-qemu: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
