//! Decisions about DMA memory, kept free of system calls so that they are unit-tested: which page
//! size to use (hugepages, or the logged 4 KiB fallback) and whether RLIMIT_MEMLOCK allows a pin.

use std::fs;

/// 4 KiB.
pub const PAGE_4K: usize = 4 << 10;
/// 2 MiB.
pub const PAGE_2M: usize = 2 << 20;
/// 1 GiB.
pub const PAGE_1G: usize = 1 << 30;

/// Where DMA memory comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HugePages {
    /// Hugepages (1 GiB for regions of 1 GiB or more if the pool has them, else 2 MiB); when the
    /// pool is short, 4 KiB pages, with a warning in the log. The default.
    #[default]
    Prefer,
    /// Hugepages or an error that says how to reserve them.
    Require,
    /// 4 KiB pages only.
    Never,
}

/// The page size chosen for one allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePlan {
    /// Page size in bytes.
    pub page_size: usize,
    /// From the hugetlb pool.
    pub huge: bool,
    /// Bytes to map: the request rounded up to the page size.
    pub bytes: usize,
    /// Why hugepages were not used, when they were preferred (to be logged).
    pub fallback: Option<String>,
}

/// The hugepage size that was wanted and could not be had (for [`super::VfioError::NoHugepages`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoHugepages {
    /// Page size wanted.
    pub page_size: usize,
}

fn round_up(len: usize, page: usize) -> usize {
    len.div_ceil(page) * page
}

/// Choose the page size for `len` bytes given the free hugepages of each size.
pub fn plan_pages(policy: HugePages, len: usize, free_2m: u64, free_1g: u64) -> Result<PagePlan, NoHugepages> {
    let small = |fallback| PagePlan { page_size: PAGE_4K, huge: false, bytes: round_up(len, PAGE_4K), fallback };
    if policy == HugePages::Never {
        return Ok(small(None));
    }
    let fits = |page: usize, free: u64| (round_up(len, page) / page) as u64 <= free;
    if len >= PAGE_1G && fits(PAGE_1G, free_1g) {
        return Ok(PagePlan { page_size: PAGE_1G, huge: true, bytes: round_up(len, PAGE_1G), fallback: None });
    }
    if fits(PAGE_2M, free_2m) {
        return Ok(PagePlan { page_size: PAGE_2M, huge: true, bytes: round_up(len, PAGE_2M), fallback: None });
    }
    match policy {
        HugePages::Require => Err(NoHugepages { page_size: PAGE_2M }),
        _ => Ok(small(Some(format!(
            "{} free 2 MiB hugepages, {} needed for {len} bytes; using 4 KiB pages (reserve hugepages: sysctl vm.nr_hugepages=N)",
            free_2m,
            round_up(len, PAGE_2M) / PAGE_2M
        )))),
    }
}

/// True when pinning `need` bytes in total is allowed: within RLIMIT_MEMLOCK `limit`, or the
/// process has CAP_IPC_LOCK (which lifts the limit for VFIO's pinning).
pub fn memlock_allows(need: u64, limit: u64, cap_ipc_lock: bool) -> bool {
    cap_ipc_lock || need <= limit
}

/// CAP_IPC_LOCK (capability 14) in the effective set, parsed from a `/proc/PID/status` text.
pub fn has_cap_ipc_lock_in(status: &str) -> bool {
    const CAP_IPC_LOCK: u32 = 14; // linux/capability.h
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << CAP_IPC_LOCK) != 0)
}

/// Whether this process has CAP_IPC_LOCK.
pub fn has_cap_ipc_lock() -> bool {
    fs::read_to_string("/proc/self/status").is_ok_and(|s| has_cap_ipc_lock_in(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugepages_when_the_pool_has_them() {
        let p = plan_pages(HugePages::Prefer, 4096, 1, 0).unwrap();
        assert_eq!((p.page_size, p.huge, p.bytes, p.fallback), (PAGE_2M, true, PAGE_2M, None));
        let p = plan_pages(HugePages::Require, 5 << 20, 3, 0).unwrap();
        assert_eq!((p.page_size, p.bytes), (PAGE_2M, 6 << 20));
        let p = plan_pages(HugePages::Prefer, PAGE_1G, 0, 1).unwrap();
        assert_eq!((p.page_size, p.bytes), (PAGE_1G, PAGE_1G));
        let p = plan_pages(HugePages::Prefer, PAGE_1G, 512, 0).unwrap();
        assert_eq!(p.page_size, PAGE_2M, "no 1 GiB pages: 2 MiB ones");
    }

    #[test]
    fn logged_fallback_or_error_when_the_pool_is_short() {
        let p = plan_pages(HugePages::Prefer, 5 << 20, 2, 0).unwrap();
        assert_eq!((p.page_size, p.huge, p.bytes), (PAGE_4K, false, 5 << 20));
        let why = p.fallback.expect("a fallback is explained");
        assert!(why.contains("2 free 2 MiB hugepages, 3 needed") && why.contains("vm.nr_hugepages"), "{why}");
        assert_eq!(plan_pages(HugePages::Require, 4096, 0, 0), Err(NoHugepages { page_size: PAGE_2M }));
        let p = plan_pages(HugePages::Never, 100, 100, 100).unwrap();
        assert_eq!((p.page_size, p.bytes, p.fallback), (PAGE_4K, 4096, None));
    }

    #[test]
    fn memlock_decision() {
        assert!(memlock_allows(64 << 10, 64 << 10, false));
        assert!(!memlock_allows((64 << 10) + 1, 64 << 10, false));
        assert!(memlock_allows(u64::MAX, 0, true));
    }

    #[test]
    fn cap_ipc_lock_from_proc_status() {
        let root = "Name:\tx\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
        let user = "Name:\tx\nCapEff:\t0000000000000000\n";
        let only_ipc_lock = "CapEff:\t0000000000004000\n";
        assert!(has_cap_ipc_lock_in(root));
        assert!(!has_cap_ipc_lock_in(user));
        assert!(has_cap_ipc_lock_in(only_ipc_lock));
        assert!(!has_cap_ipc_lock_in("garbage"));
    }
}
