//! Runs inside the QEMU guest (see scripts/test-vfio.sh and tests/vfio/init): the project's VFIO
//! code on a real kernel, through an emulated VT-d IOMMU, against QEMU's `edu` device.
//!
//! edu (QEMU docs/specs/edu.rst) is not a tickwire card, so it is driven through the lower layer
//! (`VfioDevice` + DMA memory), and `Card::open` on it must fail with the wrong-card error.
//!
//! Phases (one process each, run by the guest's /init):
//! - `before-modules`: vfio-pci not loaded yet: binding fails with the "modprobe" error.
//! - `main` (root): everything else; it re-runs itself as an unprivileged user for the
//!   permission and memlock cases.
//!
//! Output: one `ok - NAME` or `FAIL - NAME: why` line per check, then `vfio-guest: N passed, M failed`.

use std::fs;
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tickwire::card::CardError;
use tickwire::device::DeviceError;
use tickwire::vfio::{HugePages, Sysfs, VfioDevice, VfioError, VfioOptions};
use tickwire::{Card, Device, DmaRegion};

const EDU_VENDOR: u16 = 0x1234;
const EDU_DEVICE: u16 = 0x11e8;
// edu's BAR0 registers (QEMU docs/specs/edu.rst).
const EDU_ID: usize = 0x00; // reads 0x010000ed
const EDU_LIVENESS: usize = 0x04; // reads back the bitwise inverse of what was written
const EDU_DMA_SRC: usize = 0x80;
const EDU_DMA_DST: usize = 0x88;
const EDU_DMA_COUNT: usize = 0x90;
const EDU_DMA_CMD: usize = 0x98;
const EDU_DMA_START: u32 = 1;
const EDU_DMA_TO_RAM: u32 = 2;
const EDU_BUF: u32 = 0x40000; // edu's internal 4 KiB DMA buffer, as a DMA address on its side
// edu masks DMA addresses to 28 bits: give it IOVAs below 256 MiB.
const EDU_IOVA: (u64, u64) = (0x10_0000, 0x1000_0000);
const NOBODY: u32 = 65534;

struct Tally {
    passed: u32,
    failed: u32,
}

impl Tally {
    fn check(&mut self, name: &str, r: Result<(), String>) {
        match r {
            Ok(()) => {
                self.passed += 1;
                println!("ok - {name}");
            }
            Err(why) => {
                self.failed += 1;
                println!("FAIL - {name}: {why}");
            }
        }
    }
}

fn ensure(cond: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(why())
    }
}

fn opts(hugepages: HugePages) -> VfioOptions {
    VfioOptions { iova: EDU_IOVA, hugepages, ..VfioOptions::default() }
}

fn find_edu(sysfs: &Sysfs) -> String {
    let found = sysfs.scan(EDU_VENDOR, EDU_DEVICE).expect("scan /sys/bus/pci/devices");
    found.into_iter().next().expect("no edu device in the guest (QEMU -device edu)")
}

/// One edu DMA transfer; waits for the engine to finish.
fn edu_dma(dev: &VfioDevice, src: u64, dst: u64, count: u32, to_ram: bool) -> Result<(), String> {
    dev.write32(EDU_DMA_SRC, src as u32);
    dev.write32(EDU_DMA_DST, dst as u32);
    dev.write32(EDU_DMA_COUNT, count);
    dev.write32(EDU_DMA_CMD, EDU_DMA_START | if to_ram { EDU_DMA_TO_RAM } else { 0 });
    let t0 = Instant::now();
    while dev.read32(EDU_DMA_CMD) & EDU_DMA_START != 0 {
        if t0.elapsed() > Duration::from_secs(20) {
            return Err("edu DMA did not complete in 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

fn fill(r: &DmaRegion, words: usize, seed: u64) {
    for i in 0..words {
        r.store(i, seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15), Ordering::Relaxed);
    }
}

/// RAM (region a) → edu buffer → RAM (region b), through the IOMMU; b must equal a.
fn round_trip(dev: &VfioDevice, a: &DmaRegion, b: &DmaRegion, seed: u64) -> Result<(), String> {
    let n = 4096usize;
    fill(a, n / 8, seed);
    edu_dma(dev, a.iova(), u64::from(EDU_BUF), n as u32, false)?;
    edu_dma(dev, u64::from(EDU_BUF), b.iova(), n as u32, true)?;
    for i in 0..n / 8 {
        let (x, y) = (a.load(i, Ordering::Acquire), b.load(i, Ordering::Acquire));
        if x != y {
            return Err(format!("word {i}: sent {x:#018x}, got back {y:#018x} (iova a {:#x}, b {:#x})", a.iova(), b.iova()));
        }
    }
    Ok(())
}

fn err_text<T>(r: Result<T, impl std::fmt::Display>) -> String {
    match r {
        Ok(_) => "unexpectedly succeeded".into(),
        Err(e) => e.to_string(),
    }
}

fn before_modules(t: &mut Tally) {
    let sysfs = Sysfs::from_env();
    let bdf = find_edu(&sysfs);
    let r = sysfs.bind_vfio(&bdf);
    t.check("bind without vfio-pci loaded: says modprobe vfio-pci", match r {
        Err(VfioError::BindFailed { ref now, .. }) if now.is_none() => {
            let msg = err_text(r);
            ensure(msg.contains("modprobe vfio-pci"), || msg)
        }
        other => Err(format!("expected BindFailed, got {other:?}")),
    });
    let r = sysfs.unbind_vfio(&bdf);
    t.check("unbind clears driver_override", match r {
        Ok(None) => {
            let o = fs::read_to_string(sysfs.device_dir(&bdf).join("driver_override")).unwrap_or_default();
            ensure(o.trim() == "(null)" || o.trim().is_empty(), || format!("driver_override still {o:?}"))
        }
        other => Err(format!("{other:?}")),
    });
}

fn main_phase(t: &mut Tally) {
    let sysfs = Sysfs::from_env();
    let bdf = find_edu(&sysfs);
    println!("# edu at {bdf}");

    // Discovery.
    let info = sysfs.info(&bdf);
    t.check("sysfs info: IOMMU group present, no driver yet", match &info {
        Ok(i) => ensure(i.iommu_group.is_some() && i.driver.is_none(), || format!("{i:?}")),
        Err(e) => Err(e.to_string()),
    });
    let group = info.ok().and_then(|i| i.iommu_group).unwrap_or(0);

    // Error: bad address, no such device, not bound.
    t.check("bad PCI address", {
        let m = err_text(VfioDevice::open("03:00", opts(HugePages::Never)));
        ensure(m.contains("is not a PCI address"), || m)
    });
    t.check("no such device", {
        let m = err_text(VfioDevice::open("0000:7f:1f.7", opts(HugePages::Never)));
        ensure(m.contains("no such PCI device"), || m)
    });
    t.check("not bound to vfio-pci: says tickwire bind", {
        let r = VfioDevice::open(&bdf, opts(HugePages::Never));
        let ok = matches!(r, Err(VfioError::NotBound { driver: None, .. }));
        let m = err_text(r);
        ensure(ok && m.contains(&format!("tickwire bind {bdf}")), || m)
    });

    // Binding.
    t.check("bind to vfio-pci (driver_override + drivers_probe)", match sysfs.bind_vfio(&bdf) {
        Ok(None) => ensure(sysfs.driver(&bdf).as_deref() == Some("vfio-pci"), || format!("{:?}", sysfs.driver(&bdf))),
        other => Err(format!("{other:?}")),
    });
    t.check("bind again is a no-op", match sysfs.bind_vfio(&bdf) {
        Ok(Some(d)) if d == "vfio-pci" => Ok(()),
        other => Err(format!("{other:?}")),
    });

    // Open, BAR0, liveness.
    let dev = match VfioDevice::open(&bdf, opts(HugePages::Prefer)) {
        Ok(d) => d,
        Err(e) => {
            t.check("open", Err(e.to_string()));
            return;
        }
    };
    t.check("open: BAR0 mapped, 1 MiB", ensure(dev.bar0_len() == 1 << 20, || format!("{:#x}", dev.bar0_len())));
    t.check("BAR0 read: edu ID register", {
        let id = dev.read32(EDU_ID);
        ensure(id == 0x0100_00ed, || format!("{id:#010x}"))
    });
    t.check("BAR0 write+read: liveness register inverts", {
        dev.write32(EDU_LIVENESS, 0x1234_5678);
        let v = dev.read32(EDU_LIVENESS);
        ensure(v == !0x1234_5678u32, || format!("{v:#010x}"))
    });
    t.check("bus mastering on after open", match dev.bus_master() {
        Ok(true) => Ok(()),
        other => Err(format!("{other:?}")),
    });

    // Error: group busy (a second open of the same group).
    t.check("second open: group busy", {
        let r = VfioDevice::open(&bdf, opts(HugePages::Never));
        let ok = matches!(r, Err(VfioError::GroupBusy { .. }));
        let m = err_text(r);
        ensure(ok && m.contains("busy"), || m)
    });

    // DMA, 4 KiB pages: the guest has no hugepages reserved, Prefer falls back (logged).
    match (dev.map_dma(4096), dev.map_dma(4096)) {
        (Ok(a), Ok(b)) => {
            t.check("DMA map (4 KiB fallback): page-sized, IOVAs in the window", ensure(
                a.len() == 4096 && b.len() == 4096 && a.iova() >= EDU_IOVA.0 && b.iova() < EDU_IOVA.1 && a.iova() != b.iova(),
                || format!("{a:?} {b:?}"),
            ));
            t.check("DMA round trip RAM -> edu -> RAM through the IOMMU (4 KiB pages)", round_trip(&dev, &a, &b, 0xA5));
            t.check("pinned bytes accounted", ensure(dev.pinned_bytes() == 8192, || dev.pinned_bytes().to_string()));
            let stale = b.iova();
            drop(b);
            drop(a);
            t.check("unmap: nothing pinned after the regions drop", ensure(dev.pinned_bytes() == 0, || dev.pinned_bytes().to_string()));
            // IOMMU fencing: the device writes to an IOVA that was just unmapped; VT-d must refuse it.
            t.check("IOMMU blocks a DMA write to an unmapped IOVA (DMAR fault logged)", (|| {
                edu_dma(&dev, u64::from(EDU_BUF), stale, 64, true)?;
                std::thread::sleep(Duration::from_millis(200));
                let out = Command::new("dmesg").output().map_err(|e| format!("dmesg: {e}"))?;
                let log = String::from_utf8_lossy(&out.stdout);
                let needle = format!("fault addr 0x{stale:x}");
                ensure(log.lines().any(|l| l.contains("DMAR") && l.contains(&needle)), || {
                    let dmar: Vec<&str> = log.lines().filter(|l| l.contains("DMAR")).collect();
                    format!("no DMAR fault for {stale:#x} in dmesg; DMAR lines: {dmar:?}")
                })
            })());
        }
        (a, b) => t.check("DMA map (4 KiB fallback)", Err(format!("{a:?} / {b:?}"))),
    }

    // Error: hugepages required, none reserved.
    t.check("hugepages required, none reserved: says vm.nr_hugepages", {
        let r = hugepage_only(&dev);
        let ok = matches!(r, Err(VfioError::NoHugepages { .. }));
        let m = err_text(r);
        ensure(ok && m.contains("vm.nr_hugepages"), || m)
    });

    // Hugepages: reserve some, then DMA on 2 MiB pages.
    let _ = fs::write("/proc/sys/vm/nr_hugepages", "4");
    match (hugepage_only(&dev), hugepage_only(&dev)) {
        (Ok(a), Ok(b)) => {
            t.check("DMA map on 2 MiB hugepages: 2 MiB-aligned IOVA", ensure(
                a.len() == 2 << 20 && a.iova() % (2 << 20) == 0 && b.iova() % (2 << 20) == 0,
                || format!("{a:?} {b:?}"),
            ));
            t.check("DMA round trip through the IOMMU (2 MiB hugepages)", round_trip(&dev, &a, &b, 0x5A));
        }
        (a, b) => t.check("DMA map on 2 MiB hugepages", Err(format!("{a:?} / {b:?}"))),
    }
    let _ = fs::write("/proc/sys/vm/nr_hugepages", "0");

    // Root has CAP_IPC_LOCK: a low RLIMIT_MEMLOCK does not stop it (as in the kernel).
    let saved = tickwire::vfio::memlock_limit().unwrap_or(u64::MAX);
    t.check("root with CAP_IPC_LOCK maps past a 64 KiB RLIMIT_MEMLOCK", (|| {
        tickwire::vfio::set_memlock_limit(64 << 10).map_err(|e| e.to_string())?;
        let r = dev.map_dma(1 << 20).map(drop).map_err(|e| e.to_string());
        let _ = tickwire::vfio::set_memlock_limit(saved);
        r
    })());

    // Reset.
    if dev.can_reset() {
        t.check("reset: device still answers, bus mastering back on", (|| {
            dev.reset().map_err(|e| e.to_string())?;
            ensure(dev.read32(EDU_ID) == 0x0100_00ed && matches!(dev.bus_master(), Ok(true)), || "after reset".into())
        })());
    } else {
        t.check("reset unsupported: says so", {
            let m = err_text(dev.reset());
            ensure(m.contains("no reset method"), || m)
        });
    }

    // Wrong card: the card layer refuses edu.
    let r = Card::open(dev);
    t.check("Card::open on edu: wrong card", {
        let ok = matches!(r, Err(CardError::WrongCard { found: 0x0100_00ed, .. }));
        let m = err_text(r.map(|_| ()));
        ensure(ok && m.contains("0x544b5752"), || m)
    });

    // Teardown: the device (dropped by the failed Card::open) released the group; it opens again.
    t.check("teardown released the group: reopen works", VfioDevice::open(&bdf, opts(HugePages::Never)).map(drop).map_err(|e| e.to_string()));
    t.check("open_card on edu: wrong card through the full path", {
        let m = err_text(tickwire::vfio::open_card(&bdf, opts(HugePages::Never)).map(drop));
        ensure(m.contains("ID register reads 0x010000ed"), || m)
    });

    // Unprivileged: permission on /dev/vfio/N, then RLIMIT_MEMLOCK.
    let node = format!("/dev/vfio/{group}");
    run_unprivileged(t, "perm");
    match chown(&node, Some(NOBODY), Some(NOBODY)) {
        Ok(()) => run_unprivileged(t, "memlock"),
        Err(e) => t.check("chown group node", Err(e.to_string())),
    }
    let _ = chown(&node, Some(0), Some(0));

    // Unbind: back to no driver (edu has none in the guest).
    t.check("unbind from vfio-pci", match sysfs.unbind_vfio(&bdf) {
        Ok(None) => Ok(()),
        other => Err(format!("{other:?}")),
    });
}

/// Map 4 KiB with HugePages::Require (the device was opened with Prefer).
fn hugepage_only(dev: &VfioDevice) -> Result<DmaRegion, VfioError> {
    dev.map_dma_with(4096, HugePages::Require)
}

fn run_unprivileged(t: &mut Tally, phase: &str) {
    let exe = std::env::current_exe().expect("current_exe");
    let out = Command::new(exe).args(["unprivileged", phase]).uid(NOBODY).gid(NOBODY).output();
    match out {
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout);
            let mut seen = false;
            for line in text.lines() {
                if let Some(name) = line.strip_prefix("ok - ") {
                    t.check(name, Ok(()));
                    seen = true;
                } else if let Some(rest) = line.strip_prefix("FAIL - ") {
                    t.check(rest, Err("(unprivileged)".into()));
                    seen = true;
                } else {
                    println!("{line}");
                }
            }
            if !seen {
                t.check(&format!("unprivileged {phase}"), Err(format!("no result; stderr: {}", String::from_utf8_lossy(&o.stderr))));
            }
        }
        Err(e) => t.check(&format!("unprivileged {phase}"), Err(e.to_string())),
    }
}

fn unprivileged(t: &mut Tally, phase: &str) {
    let sysfs = Sysfs::from_env();
    let bdf = find_edu(&sysfs);
    match phase {
        "perm" => t.check("non-root, /dev/vfio/N owned by root: permission error says chown/udev", {
            let r = VfioDevice::open(&bdf, opts(HugePages::Never));
            let ok = matches!(r, Err(VfioError::Permission { .. }));
            let m = err_text(r);
            ensure(ok && m.contains("udev rule") && m.contains("chown"), || m)
        }),
        "memlock" => {
            let dev = match VfioDevice::open(&bdf, opts(HugePages::Never)) {
                Ok(d) => d,
                Err(e) => return t.check("non-root open after chown", Err(e.to_string())),
            };
            t.check("non-root open after chown", Ok(()));
            let _ = tickwire::vfio::set_memlock_limit(64 << 10);
            t.check("non-root within RLIMIT_MEMLOCK: DMA map works", dev.map_dma(16 << 10).map(drop).map_err(|e| e.to_string()));
            t.check("non-root past RLIMIT_MEMLOCK: error says ulimit -l / LimitMEMLOCK", {
                let r = dev.alloc_dma(1 << 20);
                let ok = matches!(r, Err(DeviceError::Vfio(VfioError::MemlockLimit { .. })));
                let m = err_text(r);
                ensure(ok && m.contains("ulimit -l") && m.contains("LimitMEMLOCK"), || m)
            });
        }
        _ => t.check("unknown phase", Err(phase.into())),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut t = Tally { passed: 0, failed: 0 };
    match args.get(1).map(String::as_str) {
        Some("before-modules") => before_modules(&mut t),
        Some("unprivileged") => {
            unprivileged(&mut t, args.get(2).map(String::as_str).unwrap_or(""));
            return; // the parent counts these lines
        }
        _ => main_phase(&mut t),
    }
    println!("vfio-guest: {} passed, {} failed", t.passed, t.failed);
    std::process::exit(i32::from(t.failed > 0));
}
