//! PCI discovery and driver binding through sysfs. The sysfs root is a parameter (`/sys` in
//! production, a fake tree in tests, `TICKWIRE_SYSFS` in the environment), so all of this is
//! tested without a kernel.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{GroupMember, VfioError};

/// The driver a tickwire card must be bound to.
pub const VFIO_DRIVER: &str = "vfio-pci";

/// Normalise a PCI address: `BB:DD.F` or `DDDD:BB:DD.F` (hex, any case) → `dddd:bb:dd.f`.
pub fn parse_bdf(input: &str) -> Result<String, VfioError> {
    let bad = || VfioError::BadAddress { input: input.to_string() };
    let s = input.trim();
    let parts: Vec<&str> = s.split(':').collect();
    let (dom, bus, devfn) = match parts.as_slice() {
        [b, df] => ("0000", *b, *df),
        [d, b, df] => (*d, *b, *df),
        _ => return Err(bad()),
    };
    let (dev, func) = devfn.split_once('.').ok_or_else(bad)?;
    let hex = |x: &str, max_len: usize, max: u32| -> Result<u32, VfioError> {
        if x.is_empty() || x.len() > max_len {
            return Err(bad());
        }
        let v = u32::from_str_radix(x, 16).map_err(|_| bad())?;
        if v > max {
            return Err(bad());
        }
        Ok(v)
    };
    let (d, b, dv, f) = (hex(dom, 4, 0xffff)?, hex(bus, 2, 0xff)?, hex(dev, 2, 0x1f)?, hex(func, 1, 7)?);
    Ok(format!("{d:04x}:{b:02x}:{dv:02x}.{f:x}"))
}

/// What sysfs says about one PCI device.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PciDeviceInfo {
    /// PCI address.
    pub bdf: String,
    /// Vendor id.
    pub vendor: u16,
    /// Device id.
    pub device: u16,
    /// IOMMU group, if the IOMMU is on.
    pub iommu_group: Option<u32>,
    /// Bound driver.
    pub driver: Option<String>,
    /// NUMA node (`None` when the platform does not say: -1 in sysfs).
    pub numa_node: Option<i32>,
    /// Current link speed as the kernel prints it ("8.0 GT/s PCIe"), for PCIe devices.
    pub link_speed: Option<String>,
    /// Current link width ("16"), for PCIe devices.
    pub link_width: Option<String>,
}

/// A sysfs tree.
#[derive(Clone, Debug)]
pub struct Sysfs {
    root: PathBuf,
}

impl Default for Sysfs {
    fn default() -> Self {
        Self::from_env()
    }
}

fn read_trim(path: &Path) -> io::Result<String> {
    Ok(fs::read_to_string(path)?.trim().to_string())
}

fn parse_hex_u16(s: &str) -> Option<u16> {
    u16::from_str_radix(s.trim().trim_start_matches("0x"), 16).ok()
}

impl Sysfs {
    /// The tree at `root` (normally `/sys`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$TICKWIRE_SYSFS`, or `/sys`.
    pub fn from_env() -> Self {
        Self::new(std::env::var_os("TICKWIRE_SYSFS").map(PathBuf::from).unwrap_or_else(|| "/sys".into()))
    }

    /// The root of the tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/bus/pci/devices/<bdf>`.
    pub fn device_dir(&self, bdf: &str) -> PathBuf {
        self.root.join("bus/pci/devices").join(bdf)
    }

    fn sysfs_err(bdf: &str, path: PathBuf, source: io::Error) -> VfioError {
        VfioError::Sysfs { bdf: bdf.to_string(), path, source }
    }

    fn link_name(path: &Path) -> Option<String> {
        fs::read_link(path).ok()?.file_name().map(|n| n.to_string_lossy().into_owned())
    }

    /// The driver `bdf` is bound to, if any.
    pub fn driver(&self, bdf: &str) -> Option<String> {
        Self::link_name(&self.device_dir(bdf).join("driver"))
    }

    /// The IOMMU group of `bdf`, or `None` when it has none (IOMMU off).
    pub fn iommu_group(&self, bdf: &str) -> Option<u32> {
        Self::link_name(&self.device_dir(bdf).join("iommu_group"))?.parse().ok()
    }

    /// Everything `tickwire list` shows about `bdf`.
    pub fn info(&self, bdf: &str) -> Result<PciDeviceInfo, VfioError> {
        let bdf = parse_bdf(bdf)?;
        let dir = self.device_dir(&bdf);
        if !dir.exists() {
            return Err(VfioError::NoSuchDevice { bdf, path: dir });
        }
        let id = |name: &str| -> Result<u16, VfioError> {
            let p = dir.join(name);
            let s = read_trim(&p).map_err(|e| Self::sysfs_err(&bdf, p.clone(), e))?;
            parse_hex_u16(&s).ok_or_else(|| {
                Self::sysfs_err(&bdf, p, io::Error::new(io::ErrorKind::InvalidData, format!("not a PCI id: {s:?}")))
            })
        };
        let opt = |name: &str| read_trim(&dir.join(name)).ok().filter(|s| !s.is_empty() && s != "Unknown");
        Ok(PciDeviceInfo {
            vendor: id("vendor")?,
            device: id("device")?,
            iommu_group: self.iommu_group(&bdf),
            driver: self.driver(&bdf),
            numa_node: opt("numa_node").and_then(|s| s.parse().ok()).filter(|n: &i32| *n >= 0),
            link_speed: opt("current_link_speed"),
            link_width: opt("current_link_width"),
            bdf,
        })
    }

    /// Every PCI device with this vendor and device id, sorted by address.
    pub fn scan(&self, vendor: u16, device: u16) -> Result<Vec<String>, VfioError> {
        let dir = self.root.join("bus/pci/devices");
        let entries = fs::read_dir(&dir).map_err(|e| Self::sysfs_err("pci", dir.clone(), e))?;
        let mut out = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            let v = read_trim(&p.join("vendor")).ok().and_then(|s| parse_hex_u16(&s));
            let d = read_trim(&p.join("device")).ok().and_then(|s| parse_hex_u16(&s));
            if v == Some(vendor) && d == Some(device) {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        out.sort();
        Ok(out)
    }

    /// The devices of IOMMU group `group` other than `bdf`, with their drivers.
    pub fn group_members(&self, group: u32, bdf: &str) -> Vec<GroupMember> {
        let dir = self.root.join("kernel/iommu_groups").join(group.to_string()).join("devices");
        let mut out: Vec<GroupMember> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|m| m != bdf)
            .map(|m| GroupMember { driver: self.driver(&m), bdf: m })
            .collect();
        out.sort_by(|a, b| a.bdf.cmp(&b.bdf));
        out
    }

    /// Devices of `group` (other than `bdf`) whose driver makes the group not viable for VFIO:
    /// anything bound to a driver other than vfio-pci or pci-stub (bridges bound to pcieport are
    /// allowed by the kernel too).
    pub fn group_blockers(&self, group: u32, bdf: &str) -> Vec<GroupMember> {
        self.group_members(group, bdf)
            .into_iter()
            .filter(|m| !matches!(m.driver.as_deref(), None | Some(VFIO_DRIVER | "pci-stub" | "pcieport")))
            .collect()
    }

    /// The checks before opening: the device exists, has an IOMMU group, is bound to vfio-pci.
    /// Returns the IOMMU group.
    pub fn check_vfio_ready(&self, bdf: &str) -> Result<u32, VfioError> {
        let dir = self.device_dir(bdf);
        if !dir.exists() {
            return Err(VfioError::NoSuchDevice { bdf: bdf.to_string(), path: dir });
        }
        let group = self.iommu_group(bdf).ok_or_else(|| VfioError::NoIommu {
            bdf: bdf.to_string(),
            path: dir.join("iommu_group"),
        })?;
        match self.driver(bdf) {
            Some(d) if d == VFIO_DRIVER => Ok(group),
            driver => Err(VfioError::NotBound { bdf: bdf.to_string(), driver }),
        }
    }

    fn write_attr(&self, bdf: &str, path: PathBuf, value: &str) -> Result<(), VfioError> {
        fs::write(&path, value).map_err(|e| Self::sysfs_err(bdf, path, e))
    }

    /// Bind `bdf` to vfio-pci: driver_override, unbind from the current driver, drivers_probe.
    /// Returns the driver it was bound to before.
    pub fn bind_vfio(&self, bdf: &str) -> Result<Option<String>, VfioError> {
        let bdf = parse_bdf(bdf)?;
        let dir = self.device_dir(&bdf);
        if !dir.exists() {
            return Err(VfioError::NoSuchDevice { bdf, path: dir });
        }
        let before = self.driver(&bdf);
        if before.as_deref() == Some(VFIO_DRIVER) {
            return Ok(before);
        }
        self.write_attr(&bdf, dir.join("driver_override"), VFIO_DRIVER)?;
        if before.is_some() {
            self.write_attr(&bdf, dir.join("driver/unbind"), &bdf)?;
        }
        self.write_attr(&bdf, self.root.join("bus/pci/drivers_probe"), &bdf)?;
        match self.driver(&bdf) {
            Some(d) if d == VFIO_DRIVER => Ok(before),
            now => Err(VfioError::BindFailed { bdf, now }),
        }
    }

    /// Give `bdf` back to the host: clear driver_override, unbind from vfio-pci, drivers_probe
    /// (the kernel then binds its usual driver, if it has one). Returns the driver now bound.
    pub fn unbind_vfio(&self, bdf: &str) -> Result<Option<String>, VfioError> {
        let bdf = parse_bdf(bdf)?;
        let dir = self.device_dir(&bdf);
        if !dir.exists() {
            return Err(VfioError::NoSuchDevice { bdf, path: dir });
        }
        self.write_attr(&bdf, dir.join("driver_override"), "\n")?;
        if self.driver(&bdf).is_some() {
            self.write_attr(&bdf, dir.join("driver/unbind"), &bdf)?;
        }
        self.write_attr(&bdf, self.root.join("bus/pci/drivers_probe"), &bdf)?;
        Ok(self.driver(&bdf))
    }

    /// Free hugepages of `page_size` bytes (from `kernel/mm/hugepages`); 0 if the size is absent.
    pub fn free_hugepages(&self, page_size: usize) -> u64 {
        let p = self
            .root
            .join(format!("kernel/mm/hugepages/hugepages-{}kB/free_hugepages", page_size >> 10));
        read_trim(&p).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}
