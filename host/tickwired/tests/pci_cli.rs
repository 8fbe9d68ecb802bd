//! `tickwire list`, `bind`, `unbind`, `info` against a fake sysfs tree (TICKWIRE_SYSFS), and
//! `info sim` on the simulated card.

use std::fs;
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tickwire::card_id::{PCI_DEVICE_ID, PCI_VENDOR_ID};

struct FakeSys(PathBuf);

impl FakeSys {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("tw-cli-fakesys-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(p.join("bus/pci/devices")).unwrap();
        Self(p)
    }

    fn device(&self, bdf: &str, vendor: u16, device: u16, group: Option<u32>, driver: Option<&str>) -> &Self {
        let d = self.0.join("bus/pci/devices").join(bdf);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("vendor"), format!("0x{vendor:04x}\n")).unwrap();
        fs::write(d.join("device"), format!("0x{device:04x}\n")).unwrap();
        fs::write(d.join("numa_node"), "0\n").unwrap();
        fs::write(d.join("current_link_speed"), "16.0 GT/s PCIe\n").unwrap();
        fs::write(d.join("current_link_width"), "8\n").unwrap();
        if let Some(g) = group {
            let gd = self.0.join("kernel/iommu_groups").join(g.to_string()).join("devices");
            fs::create_dir_all(&gd).unwrap();
            symlink(gd.parent().unwrap(), d.join("iommu_group")).unwrap();
            symlink(&d, gd.join(bdf)).unwrap();
        }
        if let Some(drv) = driver {
            let dd = self.0.join("bus/pci/drivers").join(drv);
            fs::create_dir_all(&dd).unwrap();
            symlink(&dd, d.join("driver")).unwrap();
        }
        self
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tickwire"))
            .args(args)
            .env("TICKWIRE_SYSFS", &self.0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.0.join(rel)).unwrap_or_default()
    }
}

impl Drop for FakeSys {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn list_finds_cards_by_id_with_group_driver_numa_link() {
    let f = FakeSys::new("list");
    f.device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), Some("vfio-pci"))
        .device("0000:04:00.0", 0x8086, 0x1572, Some(13), Some("i40e"));
    let o = f.run(&["list"], "");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "header + one card: {out}");
    let want = format!("0000:03:00.0  {PCI_VENDOR_ID:04x}:{PCI_DEVICE_ID:04x}");
    assert!(lines[1].starts_with(&want), "{out}");
    for field in ["12", "vfio-pci", "16.0 GT/s PCIe x8"] {
        assert!(lines[1].contains(field), "{field} missing: {out}");
    }

    // Given addresses: any device; JSON.
    let o = f.run(&["list", "04:00.0", "--json"], "");
    let (out, _) = text(&o);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["bdf"], "0000:04:00.0");
    assert_eq!(v["driver"], "i40e");
    assert_eq!(v["iommu_group"], 13);
    assert_eq!(v["numa_node"], 0);
}

#[test]
fn list_shows_afu_port_vfs_of_a_pac_d5005_but_not_its_pf() {
    let f = FakeSys::new("list-afu");
    // a PAC D5005 with SR-IOV on: the PF (FME, dfl-pci) and its port VF (the AFU, vfio-pci)
    f.device("0000:3b:00.0", 0x8086, 0x0b2b, Some(20), Some("dfl-pci"))
        .device("0000:3b:00.1", 0x8086, 0x0b2c, Some(21), Some("vfio-pci"))
        .device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), Some("vfio-pci"));
    let o = f.run(&["list"], "");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "header, the Alveo card, the VF: {out}");
    assert!(lines[1].starts_with("0000:03:00.0") && lines[1].ends_with("tickwire"), "{out}");
    assert!(lines[2].starts_with("0000:3b:00.1  8086:0b2c") && lines[2].ends_with("afu-port"), "{out}");
    let o = f.run(&["list", "--json"], "");
    let kinds: Vec<String> = text(&o)
        .0
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["tickwire", "afu-port"]);
}

#[test]
fn list_with_no_card_says_so() {
    let f = FakeSys::new("empty");
    let o = f.run(&["list"], "");
    let (out, err) = text(&o);
    assert!(o.status.success());
    assert!(out.is_empty() && err.contains("no tickwire card"), "{out}{err}");
}

#[test]
fn bind_asks_first_and_writes_nothing_on_no() {
    let f = FakeSys::new("bind-no");
    f.device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), Some("xdma"));
    let o = f.run(&["bind", "0000:03:00.0"], "n\n");
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(err.contains("unbind it from xdma and bind it to vfio-pci? [y/N]") && err.contains("not changed"), "{err}");
    assert_eq!(f.read("bus/pci/devices/0000:03:00.0/driver_override"), "");
    assert_eq!(f.read("bus/pci/drivers_probe"), "");
}

#[test]
fn bind_yes_writes_driver_override_unbind_probe() {
    let f = FakeSys::new("bind-yes");
    f.device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), Some("xdma"));
    // Confirmation by prompt ("y") and by --yes take the same path.
    for (args, stdin) in [(&["bind", "03:00.0"][..], "y\n"), (&["bind", "--yes", "03:00.0"][..], "")] {
        let o = f.run(args, stdin);
        let (_, err) = text(&o);
        assert_eq!(f.read("bus/pci/devices/0000:03:00.0/driver_override"), "vfio-pci");
        assert_eq!(f.read("bus/pci/drivers/xdma/unbind"), "0000:03:00.0");
        assert_eq!(f.read("bus/pci/drivers_probe"), "0000:03:00.0");
        // The fake kernel does not rebind: the command must fail and say what to check.
        assert!(!o.status.success() && err.contains("still bound to driver xdma"), "{err}");
    }
}

#[test]
fn bind_already_bound_and_unbind() {
    let f = FakeSys::new("bound");
    f.device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), Some("vfio-pci"));
    let o = f.run(&["bind", "03:00.0"], "");
    assert!(o.status.success());
    assert!(text(&o).0.contains("already bound to vfio-pci"));
    let o = f.run(&["unbind", "--yes", "03:00.0"], "");
    assert!(o.status.success(), "{}", text(&o).1);
    assert_eq!(f.read("bus/pci/devices/0000:03:00.0/driver_override"), "\n");
    assert_eq!(f.read("bus/pci/drivers/vfio-pci/unbind"), "0000:03:00.0");
}

#[test]
fn info_on_an_unbound_device_says_bind() {
    let f = FakeSys::new("info");
    f.device("0000:03:00.0", PCI_VENDOR_ID, PCI_DEVICE_ID, Some(12), None);
    let o = f.run(&["info", "03:00.0"], "");
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(err.contains("tickwire bind 0000:03:00.0"), "{err}");
    let o = f.run(&["info", "nonsense"], "");
    assert!(text(&o).1.contains("is not a PCI address"));
}

#[test]
fn info_sim_identifies_the_simulated_card() {
    let f = FakeSys::new("sim");
    let o = f.run(&["info", "sim", "--json"], "");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["device"], "sim");
    assert_eq!(v["id"], 0x544B_5752);
    assert!(v["rings"].as_u64().unwrap() >= 1, "{v}");
    assert!(v.get("build_id").is_some() && v.get("version_major").is_some(), "{v}");
}

#[test]
fn info_shows_the_manifest_of_the_cards_build() {
    let f = FakeSys::new("manifest");
    let dir = f.0.join("bitstreams-out");
    std::fs::create_dir_all(dir.join("au250")).unwrap();
    std::fs::create_dir_all(dir.join("other")).unwrap();
    // the shape bitstreams/alveo_build.tcl writes; the simulated card's build id is 0
    let manifest = serde_json::json!({
        "board": "au250", "part": "xcu250-figd2104-2L-e", "top": "tw_shell_au250", "build_id": 0, "build_id_hex": "0x00000000",
        "git_rev": "abc1234", "tool": "Vivado", "tool_version": "2024.2", "built_utc": "2026-11-25T08:00:00Z", "build_seconds": 3600,
        "utilisation": {"clb_luts": 40000, "clb_registers": 50000, "bram_tiles": 30, "uram": 0, "dsps": 0},
        "timing": {"wns_ns": 0.05, "whs_ns": 0.01, "met": true},
    });
    std::fs::write(dir.join("au250/manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(dir.join("other/manifest.json"), serde_json::json!({"board": "au55c", "build_id": 7}).to_string()).unwrap();
    let d = dir.to_str().unwrap();
    let o = f.run(&["info", "sim", "--json", "--manifests", d], "");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["manifest"], manifest);
    let o = f.run(&["info", "sim", "--manifests", d], "");
    let (out, _) = text(&o);
    assert!(out.contains("board      au250") && out.contains("sources    abc1234") && out.contains("timing     WNS 0.05 ns, WHS 0.01 ns, met"), "{out}");
    // no manifest for the build: said, not an error
    std::fs::remove_file(dir.join("au250/manifest.json")).unwrap();
    let o = f.run(&["info", "sim", "--manifests", d], "");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("manifest   none for build id 0x00000000"), "{out}");
}
