//! The VFIO backend's sysfs side and its error messages, against a fake sysfs tree (no kernel).
//! The same code runs on a real kernel in `make test-vfio` (tests/vfio/guest).

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use tickwire::vfio::{parse_bdf, GroupMember, HugePages, Sysfs, VfioDevice, VfioError, VfioOptions};

/// A fake /sys in a fresh temp dir, removed on drop.
struct FakeSys(PathBuf);

impl FakeSys {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("tw-fakesys-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(p.join("bus/pci/devices")).unwrap();
        fs::create_dir_all(p.join("bus/pci/drivers")).unwrap();
        fs::create_dir_all(p.join("kernel/iommu_groups")).unwrap();
        Self(p)
    }

    /// A PCI device; `group` None = IOMMU off; `driver` None = unbound.
    fn device(&self, bdf: &str, vendor: u16, device: u16, group: Option<u32>, driver: Option<&str>) -> &Self {
        let d = self.0.join("bus/pci/devices").join(bdf);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("vendor"), format!("0x{vendor:04x}\n")).unwrap();
        fs::write(d.join("device"), format!("0x{device:04x}\n")).unwrap();
        fs::write(d.join("numa_node"), "1\n").unwrap();
        fs::write(d.join("current_link_speed"), "8.0 GT/s PCIe\n").unwrap();
        fs::write(d.join("current_link_width"), "16\n").unwrap();
        fs::write(d.join("driver_override"), "(null)\n").unwrap();
        if let Some(g) = group {
            let gd = self.0.join("kernel/iommu_groups").join(g.to_string());
            fs::create_dir_all(gd.join("devices")).unwrap();
            symlink(&gd, d.join("iommu_group")).unwrap();
            symlink(&d, gd.join("devices").join(bdf)).unwrap();
        }
        if let Some(drv) = driver {
            let dd = self.0.join("bus/pci/drivers").join(drv);
            fs::create_dir_all(&dd).unwrap();
            symlink(&dd, d.join("driver")).unwrap();
        }
        self
    }

    fn sysfs(&self) -> Sysfs {
        Sysfs::new(&self.0)
    }

    fn read(&self, rel: impl AsRef<Path>) -> String {
        fs::read_to_string(self.0.join(rel)).unwrap_or_default()
    }
}

impl Drop for FakeSys {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn opts(fake: &FakeSys) -> VfioOptions {
    VfioOptions { sysfs: fake.sysfs(), dev_vfio: fake.0.join("dev-vfio"), hugepages: HugePages::Never, ..Default::default() }
}

#[test]
fn pci_addresses_are_normalised_or_refused() {
    assert_eq!(parse_bdf("03:00.0").unwrap(), "0000:03:00.0");
    assert_eq!(parse_bdf("0000:AF:1f.7").unwrap(), "0000:af:1f.7");
    for bad in ["", "03:00", "0000:03:00.8", "0000:03:20.0", "x:03:00.0", "00000:03:00.0", "0:0:0:0.0"] {
        let e = parse_bdf(bad).unwrap_err();
        assert!(matches!(e, VfioError::BadAddress { .. }), "{bad}: {e:?}");
        assert!(e.to_string().contains("DDDD:BB:DD.F"), "{e}");
    }
}

#[test]
fn list_scans_by_id_and_reads_group_driver_numa_link() {
    let f = FakeSys::new("list");
    f.device("0000:03:00.0", 0x10ee, 0x7457, Some(12), Some("vfio-pci"))
        .device("0000:81:00.0", 0x10ee, 0x7457, None, None)
        .device("0000:00:1f.0", 0x8086, 0x1234, Some(3), Some("lpc_ich"));
    let s = f.sysfs();
    assert_eq!(s.scan(0x10ee, 0x7457).unwrap(), vec!["0000:03:00.0", "0000:81:00.0"]);
    let i = s.info("03:00.0").unwrap();
    assert_eq!((i.vendor, i.device, i.iommu_group), (0x10ee, 0x7457, Some(12)));
    assert_eq!(i.driver.as_deref(), Some("vfio-pci"));
    assert_eq!(i.numa_node, Some(1));
    assert_eq!((i.link_speed.as_deref(), i.link_width.as_deref()), (Some("8.0 GT/s PCIe"), Some("16")));
    let j = s.info("0000:81:00.0").unwrap();
    assert_eq!((j.iommu_group, j.driver), (None, None));
}

#[test]
fn open_refuses_missing_device_iommu_off_and_not_bound_with_what_to_do() {
    let f = FakeSys::new("open");
    f.device("0000:81:00.0", 0x10ee, 0x7457, None, None)
        .device("0000:03:00.0", 0x10ee, 0x7457, Some(7), Some("xdma"))
        .device("0000:04:00.0", 0x10ee, 0x7457, Some(8), None);

    let e = VfioDevice::open("0000:09:00.0", opts(&f)).err().unwrap();
    assert!(matches!(e, VfioError::NoSuchDevice { .. }), "{e:?}");
    assert!(e.to_string().contains("tickwire list"), "{e}");

    let e = VfioDevice::open("81:00.0", opts(&f)).err().unwrap();
    assert!(matches!(e, VfioError::NoIommu { .. }), "{e:?}");
    let m = e.to_string();
    assert!(m.contains("intel_iommu=on") && m.contains("amd_iommu=on") && m.contains("BIOS"), "{m}");

    let e = VfioDevice::open("03:00.0", opts(&f)).err().unwrap();
    let m = e.to_string();
    assert!(m.contains("bound to driver xdma") && m.contains("tickwire bind 0000:03:00.0"), "{m}");
    let e = VfioDevice::open("04:00.0", opts(&f)).err().unwrap();
    assert!(e.to_string().contains("bound to no driver"), "{e}");
}

#[test]
fn open_without_vfio_device_nodes_says_modprobe() {
    let f = FakeSys::new("nodev");
    f.device("0000:03:00.0", 0x10ee, 0x7457, Some(7), Some("vfio-pci"));
    let e = VfioDevice::open("03:00.0", opts(&f)).err().unwrap();
    assert!(matches!(e, VfioError::NoVfio { .. }), "{e:?}");
    assert!(e.to_string().contains("modprobe vfio-pci"), "{e}");
}

#[test]
fn group_members_and_blockers() {
    let f = FakeSys::new("group");
    f.device("0000:03:00.0", 0x10ee, 0x7457, Some(5), Some("vfio-pci"))
        .device("0000:03:00.1", 0x8086, 0x1572, Some(5), Some("i40e"))
        .device("0000:02:00.0", 0x8086, 0x0001, Some(5), Some("pcieport"))
        .device("0000:03:00.2", 0x8086, 0x1572, Some(5), None);
    let s = f.sysfs();
    let members = s.group_members(5, "0000:03:00.0");
    assert_eq!(members.len(), 3);
    let blockers = s.group_blockers(5, "0000:03:00.0");
    assert_eq!(blockers, vec![GroupMember { bdf: "0000:03:00.1".into(), driver: Some("i40e".into()) }]);

    let e = VfioError::GroupNotViable { bdf: "0000:03:00.0".into(), group: 5, others: members };
    let m = e.to_string();
    assert!(m.contains("IOMMU group 5 is not viable"), "{m}");
    assert!(m.contains("/sys/kernel/iommu_groups/5/devices"), "{m}");
    assert!(m.contains("0000:03:00.1 (driver: i40e)") && m.contains("0000:03:00.2 (driver: none)"), "{m}");
}

#[test]
fn bind_writes_driver_override_unbind_and_probe() {
    let f = FakeSys::new("bind");
    f.device("0000:03:00.0", 0x10ee, 0x7457, Some(7), Some("xdma"));
    // The fake kernel does not rebind: bind_vfio must notice and say what to check.
    let e = f.sysfs().bind_vfio("03:00.0").unwrap_err();
    assert!(matches!(e, VfioError::BindFailed { .. }), "{e:?}");
    assert!(e.to_string().contains("still bound to driver xdma") && e.to_string().contains("modprobe vfio-pci"), "{e}");
    let dev = "bus/pci/devices/0000:03:00.0";
    assert_eq!(f.read(format!("{dev}/driver_override")), "vfio-pci");
    assert_eq!(f.read("bus/pci/drivers/xdma/unbind"), "0000:03:00.0");
    assert_eq!(f.read("bus/pci/drivers_probe"), "0000:03:00.0");

    // Unbind: driver_override cleared, unbound, probed again.
    fs::remove_file(f.0.join("bus/pci/drivers/xdma/unbind")).unwrap();
    let now = f.sysfs().unbind_vfio("0000:03:00.0").unwrap();
    assert_eq!(now.as_deref(), Some("xdma"));
    assert_eq!(f.read(format!("{dev}/driver_override")), "\n");
    assert_eq!(f.read("bus/pci/drivers/xdma/unbind"), "0000:03:00.0");
}

#[test]
fn bind_is_a_no_op_when_already_bound() {
    let f = FakeSys::new("bound");
    f.device("0000:03:00.0", 0x10ee, 0x7457, Some(7), Some("vfio-pci"));
    assert_eq!(f.sysfs().bind_vfio("03:00.0").unwrap().as_deref(), Some("vfio-pci"));
    assert_eq!(f.read("bus/pci/drivers_probe"), "", "nothing written");
}

#[test]
fn free_hugepages_from_sysfs() {
    let f = FakeSys::new("huge");
    let d = f.0.join("kernel/mm/hugepages/hugepages-2048kB");
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("free_hugepages"), "17\n").unwrap();
    assert_eq!(f.sysfs().free_hugepages(2 << 20), 17);
    assert_eq!(f.sysfs().free_hugepages(1 << 30), 0, "no 1 GiB pool");
}

#[test]
fn messages_say_what_to_do() {
    let bdf = "0000:03:00.0".to_string();
    let cases: Vec<(VfioError, &[&str])> = vec![
        (
            VfioError::Permission {
                bdf: bdf.clone(),
                path: "/dev/vfio/7".into(),
                source: std::io::Error::from_raw_os_error(13),
            },
            &["run as root", "chown $USER /dev/vfio/7", "udev rule"],
        ),
        (VfioError::NoHugepages { bdf: bdf.clone(), len: 4096, page_size: 2 << 20 }, &["2 MiB", "sysctl vm.nr_hugepages", "hugepagesz=1G", "4 KiB"]),
        (VfioError::MemlockLimit { bdf: bdf.clone(), need: 1 << 21, limit: 64 << 10 }, &["64 KiB", "ulimit -l", "LimitMEMLOCK=", "CAP_IPC_LOCK"]),
        (VfioError::GroupBusy { bdf: bdf.clone(), path: "/dev/vfio/7".into() }, &["busy", "fuser"]),
        (VfioError::NoType1 { bdf: bdf.clone() }, &["modprobe vfio_iommu_type1"]),
        (VfioError::NoReset { bdf }, &["no reset method"]),
    ];
    for (e, needles) in cases {
        let m = e.to_string();
        for n in needles {
            assert!(m.contains(n), "{n:?} missing from: {m}");
        }
        assert!(m.contains("0000:03:00.0"), "names the device: {m}");
    }
}
