//! Errors of the VFIO backend. Each one names the device and says what to do about it.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

/// Another device in the same IOMMU group, and the driver it is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    /// PCI address.
    pub bdf: String,
    /// Bound driver, if any.
    pub driver: Option<String>,
}

fn list_members(members: &[GroupMember]) -> String {
    let mut s = String::new();
    for m in members {
        let _ = write!(s, "\n    {} (driver: {})", m.bdf, m.driver.as_deref().unwrap_or("none"));
    }
    s
}

fn mib(bytes: u64) -> String {
    if bytes == u64::MAX {
        "unlimited".into()
    } else if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// Errors of [`crate::vfio::VfioDevice`] and the sysfs helpers.
#[derive(Debug, thiserror::Error)]
pub enum VfioError {
    /// Not a PCI address of the form `DDDD:BB:DD.F` (or `BB:DD.F`).
    #[error("{input:?} is not a PCI address: use DDDD:BB:DD.F, e.g. 0000:03:00.0 (see `tickwire list`)")]
    BadAddress {
        /// What was given.
        input: String,
    },
    /// No such PCI device.
    #[error("{bdf}: no such PCI device ({path} does not exist); `tickwire list` shows the cards, `lspci -D` every device")]
    NoSuchDevice {
        /// PCI address.
        bdf: String,
        /// The sysfs path looked up.
        path: PathBuf,
    },
    /// Reading or writing a sysfs attribute failed.
    #[error("{bdf}: {path}: {source}")]
    Sysfs {
        /// PCI address.
        bdf: String,
        /// The attribute.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The device has no IOMMU group: the IOMMU is absent or off.
    #[error("{bdf}: no IOMMU group ({path} is missing): the IOMMU is off. Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the BIOS, boot with intel_iommu=on (Intel) or amd_iommu=on (AMD) on the kernel command line (iommu=pt is fine), reboot, and check that /sys/kernel/iommu_groups is not empty")]
    NoIommu {
        /// PCI address.
        bdf: String,
        /// The iommu_group link that is missing.
        path: PathBuf,
    },
    /// The device is not bound to vfio-pci.
    #[error("{bdf}: bound to {}, not vfio-pci: run `tickwire bind {bdf}` (as root) first", driver.as_deref().map(|d| format!("driver {d}")).unwrap_or_else(|| "no driver".into()))]
    NotBound {
        /// PCI address.
        bdf: String,
        /// The driver it is bound to, if any.
        driver: Option<String>,
    },
    /// After driver_override and drivers_probe the device is still not bound to vfio-pci.
    #[error("{bdf}: still bound to {} after driver_override=vfio-pci and drivers_probe: load the driver (`modprobe vfio-pci`) and see `dmesg` for why it did not probe", now.as_deref().map(|d| format!("driver {d}")).unwrap_or_else(|| "no driver".into()))]
    BindFailed {
        /// PCI address.
        bdf: String,
        /// The driver bound now, if any.
        now: Option<String>,
    },
    /// /dev/vfio/vfio is missing: the vfio modules are not loaded.
    #[error("{path}: {source}: the VFIO driver is not loaded; run `modprobe vfio-pci` (and `tickwire bind BDF`)")]
    NoVfio {
        /// /dev/vfio/vfio.
        path: PathBuf,
        /// The open error.
        #[source]
        source: io::Error,
    },
    /// Permission denied on /dev/vfio/vfio or /dev/vfio/N.
    #[error("{bdf}: permission denied opening {path}: run as root, or give your user the group's device node: `chown $USER {path}` (until reboot) or a udev rule such as SUBSYSTEM==\"vfio\", GROUP=\"tickwire\", MODE=\"0660\" in /etc/udev/rules.d/")]
    Permission {
        /// PCI address.
        bdf: String,
        /// The device node.
        path: PathBuf,
        /// The open error.
        #[source]
        source: io::Error,
    },
    /// The group is already open elsewhere.
    #[error("{bdf}: {path} is busy: another process (or another VfioDevice in this one) has the IOMMU group open; stop it first (`fuser -v {path}`)")]
    GroupBusy {
        /// PCI address.
        bdf: String,
        /// The group's device node.
        path: PathBuf,
    },
    /// The IOMMU group is not viable: another device in it is bound to a host driver.
    #[error("{bdf}: IOMMU group {group} is not viable: every device in it must be bound to vfio-pci (or no driver). Other devices in /sys/kernel/iommu_groups/{group}/devices:{}\nUnbind them (`tickwire bind BDF` each, or echo BDF > /sys/bus/pci/devices/BDF/driver/unbind), or move the card to a slot with its own group (ACS)", list_members(others))]
    GroupNotViable {
        /// PCI address.
        bdf: String,
        /// IOMMU group number.
        group: u32,
        /// The other devices of the group.
        others: Vec<GroupMember>,
    },
    /// The kernel's VFIO speaks another API version.
    #[error("/dev/vfio/vfio reports API version {found}, this driver speaks {expected}")]
    ApiVersion {
        /// What the kernel reports.
        found: i32,
        /// What this driver needs.
        expected: u32,
    },
    /// The container lacks the type1v2 IOMMU model.
    #[error("{bdf}: the kernel's VFIO has no type1v2 IOMMU support: load vfio_iommu_type1 (`modprobe vfio_iommu_type1`)")]
    NoType1 {
        /// PCI address.
        bdf: String,
    },
    /// A VFIO or memory system call failed.
    #[error("{bdf}: {what}: {source}")]
    Io {
        /// PCI address (or device name).
        bdf: String,
        /// The step that failed.
        what: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// BAR0 is missing, empty or cannot be mapped.
    #[error("{bdf}: BAR0 {reason}")]
    Bar {
        /// PCI address.
        bdf: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Hugepages were required and none (or too few) are free.
    #[error("{bdf}: no free {} hugepages for {len} bytes of DMA memory: reserve some with `sysctl vm.nr_hugepages=N` (2 MiB pages; /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages or `hugepagesz=1G hugepages=N` on the kernel command line for 1 GiB), or allow the logged fallback to 4 KiB pages (HugePages::Prefer)", mib(*page_size as u64))]
    NoHugepages {
        /// PCI address.
        bdf: String,
        /// Requested length.
        len: usize,
        /// The hugepage size asked for.
        page_size: usize,
    },
    /// RLIMIT_MEMLOCK is below what the DMA memory needs.
    #[error("{bdf}: {need} bytes of DMA memory must be locked (pinned for the IOMMU), RLIMIT_MEMLOCK allows {}: raise it (`ulimit -l unlimited` in the shell, LimitMEMLOCK=infinity in the systemd unit, or memlock in /etc/security/limits.conf) or grant CAP_IPC_LOCK", mib(*limit))]
    MemlockLimit {
        /// PCI address.
        bdf: String,
        /// Bytes that would be pinned in total.
        need: u64,
        /// The soft limit.
        limit: u64,
    },
    /// The device's IOVA window is used up.
    #[error("{bdf}: no room for {len} bytes in the IOVA window {start:#x}..{end:#x}")]
    IovaExhausted {
        /// PCI address.
        bdf: String,
        /// Requested length.
        len: u64,
        /// Window start.
        start: u64,
        /// Window end.
        end: u64,
    },
    /// The device offers no reset method.
    #[error("{bdf}: the device has no reset method VFIO can use (no FLR, PM or bus reset)")]
    NoReset {
        /// PCI address.
        bdf: String,
    },
}

impl VfioError {
    pub(crate) fn io(bdf: &str, what: &'static str, source: io::Error) -> Self {
        Self::Io { bdf: bdf.to_string(), what, source }
    }
}
