//! `tickwire list`, `bind`, `unbind`, `info`: find cards, hand them to vfio-pci, identify them.
//!
//! The sysfs root is `--sysfs DIR`, else `$TICKWIRE_SYSFS`, else `/sys` (tests use a fake tree).

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use tickwire::afu;
use tickwire::card_id::{AFU_VF_IDS, PCI_DEVICE_ID, PCI_VENDOR_ID};
use tickwire::vfio::{self, PciDeviceInfo, Sysfs, VfioOptions};
use tickwire::{Card, CardInfo, Device};

fn sysfs(root: Option<PathBuf>) -> Sysfs {
    root.map(Sysfs::new).unwrap_or_else(Sysfs::from_env)
}

/// List tickwire cards (by PCI vendor:device id), or the devices given.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// PCI addresses to show instead of scanning for cards.
    pub bdf: Vec<String>,
    /// One JSON object per device.
    #[arg(long)]
    pub json: bool,
    /// sysfs root (default: $TICKWIRE_SYSFS or /sys).
    #[arg(long)]
    pub sysfs: Option<PathBuf>,
}

/// Bind a card to vfio-pci (driver_override, unbind, drivers_probe).
#[derive(clap::Args, Debug)]
pub struct BindArgs {
    /// PCI address, e.g. 0000:03:00.0.
    pub bdf: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// sysfs root (default: $TICKWIRE_SYSFS or /sys).
    #[arg(long)]
    pub sysfs: Option<PathBuf>,
}

/// Identify a card: ID, register-map version, build id, capabilities.
#[derive(clap::Args, Debug)]
pub struct InfoArgs {
    /// `sim` for the simulated card, or a PCI address bound to vfio-pci.
    pub target: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// sysfs root (default: $TICKWIRE_SYSFS or /sys).
    #[arg(long)]
    pub sysfs: Option<PathBuf>,
    /// Where the bitstream manifests are (`make bitstream` writes `bitstreams/out/<board>/
    /// manifest.json`): the one with the card's build id is shown. Default: $TICKWIRE_MANIFESTS,
    /// else ./bitstreams/out, else /usr/share/tickwire/bitstreams.
    #[arg(long)]
    pub manifests: Option<PathBuf>,
}

/// The manifest directory `info` searches.
fn manifest_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("TICKWIRE_MANIFESTS").map(PathBuf::from))
        .or_else(|| Some(PathBuf::from("bitstreams/out")).filter(|p| p.is_dir()))
        .unwrap_or_else(|| PathBuf::from("/usr/share/tickwire/bitstreams"))
}

/// The manifest of `build_id` in `dir` (`dir/manifest.json` or `dir/*/manifest.json`), if any;
/// a manifest that cannot be read or parsed is a warning, not an error.
pub fn find_manifest(dir: &std::path::Path, build_id: u32) -> Option<(PathBuf, serde_json::Value)> {
    let mut paths = vec![dir.join("manifest.json")];
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut subs: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path().join("manifest.json")).collect();
        subs.sort();
        paths.extend(subs);
    }
    for p in paths.into_iter().filter(|p| p.is_file()) {
        let v = match std::fs::read_to_string(&p).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string())) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("{}: not a readable manifest ({e}); skipped", p.display());
                continue;
            }
        };
        if v["build_id"].as_u64() == Some(u64::from(build_id)) {
            return Some((p, v));
        }
    }
    None
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_else(|| "-".into())
}

fn link(i: &PciDeviceInfo) -> String {
    match (&i.link_speed, &i.link_width) {
        (Some(s), Some(w)) => format!("{s} x{w}"),
        (Some(s), None) => s.clone(),
        (None, Some(w)) => format!("x{w}"),
        (None, None) => "-".into(),
    }
}

/// What a listed function is: one of our own ids, or an AFU board's port VF (a PAC D5005's FIM),
/// which is tickwire only if the AFU loaded in it is (`tickwire info` checks its AFU id).
fn kind(i: &PciDeviceInfo) -> &'static str {
    if (i.vendor, i.device) == (PCI_VENDOR_ID, PCI_DEVICE_ID) {
        "tickwire"
    } else if afu::is_afu_function(i.vendor, i.device) {
        "afu-port"
    } else {
        "other"
    }
}

/// Run `tickwire list`.
pub fn list(a: ListArgs) -> Result<()> {
    let fs = sysfs(a.sysfs);
    let bdfs = if a.bdf.is_empty() {
        let mut all = fs.scan(PCI_VENDOR_ID, PCI_DEVICE_ID)?;
        for &(vendor, device) in AFU_VF_IDS {
            all.extend(fs.scan(vendor, device)?);
        }
        all.sort();
        all
    } else {
        a.bdf.iter().map(|b| vfio::parse_bdf(b)).collect::<Result<_, _>>()?
    };
    if bdfs.is_empty() {
        let afus: Vec<String> = AFU_VF_IDS.iter().map(|(v, d)| format!("{v:04x}:{d:04x}")).collect();
        eprintln!(
            "tickwire list: no tickwire card ({PCI_VENDOR_ID:04x}:{PCI_DEVICE_ID:04x}) and no AFU port VF ({}) under {}/bus/pci/devices (a PAC D5005 shows its VF only with SR-IOV on: docs/hardware.md)",
            afus.join(", "),
            fs.root().display()
        );
        return Ok(());
    }
    let infos = bdfs.iter().map(|b| fs.info(b)).collect::<Result<Vec<_>, _>>()?;
    let mut out = std::io::stdout().lock();
    if a.json {
        for i in &infos {
            let mut v = serde_json::to_value(i)?;
            v["kind"] = kind(i).into();
            writeln!(out, "{v}")?;
        }
        return Ok(());
    }
    writeln!(out, "{:<13} {:<9} {:>5} {:<10} {:>4}  {:<20} KIND", "BDF", "ID", "GROUP", "DRIVER", "NUMA", "LINK")?;
    for i in &infos {
        writeln!(
            out,
            "{:<13} {:04x}:{:04x} {:>5} {:<10} {:>4}  {:<20} {}",
            i.bdf,
            i.vendor,
            i.device,
            opt(&i.iommu_group),
            opt(&i.driver),
            opt(&i.numa_node),
            link(i),
            kind(i)
        )?;
    }
    Ok(())
}

fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

/// Run `tickwire bind BDF`.
pub fn bind(a: BindArgs) -> Result<()> {
    let fs = sysfs(a.sysfs);
    let info = fs.info(&a.bdf)?;
    let bdf = &info.bdf;
    if info.driver.as_deref() == Some(vfio::VFIO_DRIVER) {
        println!("{bdf}: already bound to vfio-pci");
        return Ok(());
    }
    match kind(&info) {
        "tickwire" => {}
        "afu-port" => eprintln!(
            "note: {bdf} is {:04x}:{:04x}, an AFU board's port VF: tickwire only if tickwire's AFU is loaded (tickwire info checks its AFU id)",
            info.vendor, info.device
        ),
        _ => eprintln!(
            "warning: {bdf} is {:04x}:{:04x}, not a tickwire card ({PCI_VENDOR_ID:04x}:{PCI_DEVICE_ID:04x}) nor an AFU port VF",
            info.vendor, info.device
        ),
    }
    let from = info.driver.as_deref().map(|d| format!("unbind it from {d} and ")).unwrap_or_default();
    if !a.yes && !confirm(&format!("{bdf}: {from}bind it to vfio-pci?"))? {
        bail!("{bdf}: not changed");
    }
    fs.bind_vfio(bdf)?;
    let group = fs.iommu_group(bdf);
    println!("{bdf}: bound to vfio-pci{}", group.map(|g| format!(" (IOMMU group {g}: /dev/vfio/{g})")).unwrap_or_default());
    if let Some(g) = group {
        for m in fs.group_blockers(g, bdf) {
            eprintln!(
                "warning: {} in the same IOMMU group {g} is bound to {}: the group is not viable until it is unbound",
                m.bdf,
                m.driver.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(())
}

/// Run `tickwire unbind BDF`.
pub fn unbind(a: BindArgs) -> Result<()> {
    let fs = sysfs(a.sysfs);
    let info = fs.info(&a.bdf)?;
    let bdf = &info.bdf;
    if !a.yes && !confirm(&format!("{bdf}: unbind it from {} and give it back to the host?", opt(&info.driver)))? {
        bail!("{bdf}: not changed");
    }
    let now = fs.unbind_vfio(bdf)?;
    println!("{bdf}: driver now {}", opt(&now));
    Ok(())
}

fn print_info(name: &str, info: &CardInfo, json: bool, manifests: &std::path::Path) -> Result<()> {
    let manifest = find_manifest(manifests, info.build_id);
    if json {
        let mut v = serde_json::to_value(info)?;
        v["device"] = name.into();
        v["manifest"] = manifest.as_ref().map_or(serde_json::Value::Null, |(_, m)| m.clone());
        println!("{v}");
    } else {
        println!("device     {name}");
        println!("id         {:#010x}", info.id);
        println!("version    {}.{}", info.version_major, info.version_minor);
        println!("build id   {:#010x}", info.build_id);
        println!("rings      {}", info.rings);
        println!("rules      {}", info.rules);
        println!("data bytes {}", info.data_bytes);
        match &manifest {
            Some((p, m)) => {
                let f = |k: &str| m[k].as_str().map_or_else(|| m[k].to_string(), str::to_string);
                println!("manifest   {}", p.display());
                println!("board      {} ({}, top {})", f("board"), f("part"), f("top"));
                println!("sources    {}", f("git_rev"));
                println!("built      {} with {} {} in {} s", f("built_utc"), f("tool"), f("tool_version"), m["build_seconds"]);
                let u = &m["utilisation"];
                println!("used       {} LUTs, {} registers, {} BRAM tiles, {} URAM, {} DSPs", u["clb_luts"], u["clb_registers"], u["bram_tiles"], u["uram"], u["dsps"]);
                let t = &m["timing"];
                println!("timing     WNS {} ns, WHS {} ns, {}", t["wns_ns"], t["whs_ns"], if t["met"] == true { "met" } else { "NOT met" });
            }
            None => println!("manifest   none for build id {:#010x} in {} (--manifests DIR)", info.build_id, manifests.display()),
        }
    }
    Ok(())
}

/// Run `tickwire info sim|BDF`.
pub fn info(a: InfoArgs) -> Result<()> {
    if a.target == "sim" {
        let dev = tickwire::SimDevice::new(tickwire::SimConfig::default()).context("starting the simulated card")?;
        let card = Card::open(dev)?;
        vfio::check_build_id("sim", card.info())?;
        return print_info("sim", card.info(), a.json, &manifest_dir(a.manifests));
    }
    // SIGINT/SIGTERM wait until the device is closed and its DMA unmapped (guard dropped last).
    let _guard = vfio::TerminationGuard::new().context("blocking SIGINT/SIGTERM")?;
    let opts = VfioOptions { sysfs: sysfs(a.sysfs), ..VfioOptions::default() };
    let card = vfio::open_card(&a.target, opts)?;
    print_info(card.device().name(), card.info(), a.json, &manifest_dir(a.manifests))
}

/// A card's state as one JSON object: identity, counters, rings, flow-rule hits, in-card latency
/// histograms, clock.
pub fn stats_json<D: Device>(card: &Card<D>) -> serde_json::Value {
    let info = card.info();
    let counters: serde_json::Map<String, serde_json::Value> =
        card.counters().into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
    let rings: Vec<serde_json::Value> = (0..info.rings)
        .map(|i| {
            let mut v = serde_json::to_value(card.ring_status(i)).unwrap_or_default();
            v["index"] = i.into();
            v
        })
        .collect();
    let latency = crate::cli::replay::latency_json(
        &(0..info.rings).map(|i| (i, card.latency_histogram(i))).collect::<Vec<_>>(),
    );
    let clock = card.clock();
    serde_json::json!({
        "device": card.device().name(),
        "info": info,
        "counters": counters,
        "rings": rings,
        "rule_hits": card.flow_hits(),
        "latency": latency,
        "clock": {"time_ns": clock.now(), "increment": clock.increment(), "nominal_increment": clock.nominal_increment()},
    })
}

/// Run `tickwire stats sim|BDF`: the card's counters, rings, rule hits and latency histograms,
/// once, as JSON. (`sim` is a freshly reset simulated card: zeros. To see the simulated card
/// working, `tickwire replay --jsonl` ends with the same fields after its run.)
pub fn stats(a: InfoArgs) -> Result<()> {
    if a.target == "sim" {
        let dev = tickwire::SimDevice::new(tickwire::SimConfig::default()).context("starting the simulated card")?;
        let card = Card::open(dev)?;
        println!("{}", stats_json(&card));
        return Ok(());
    }
    let _guard = vfio::TerminationGuard::new().context("blocking SIGINT/SIGTERM")?;
    let opts = VfioOptions { sysfs: sysfs(a.sysfs), ..VfioOptions::default() };
    let card = vfio::open_card(&a.target, opts)?;
    println!("{}", stats_json(&card));
    Ok(())
}
