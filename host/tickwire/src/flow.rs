//! The flow filter's semantics in software: which rule a frame's headers match and what it does
//! (the reference for `tw_flow_filter`, and the software receive path's filter).

use std::net::Ipv4Addr;

/// Feeds the card's tick format and sequencer can tell apart.
pub const FEEDS: usize = 16;

/// What the flow filter does with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowAction {
    /// Drop the frame (counted in FLOW_DROPS).
    Drop,
    /// Deliver its messages as ticks of `feed` on `line` (0 = A, 1 = B) into `ring`.
    Deliver { feed: u8, line: u8, ring: u8 },
}

/// One flow-filter rule (see docs/registers.md, RULE): destination address exact; port and VLAN
/// exact or any; source address by prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowRule {
    pub dst_ip: std::net::Ipv4Addr,
    /// None: any port.
    pub dst_port: Option<u16>,
    /// None: any VLAN, tagged or not. Some(vid): only frames tagged with it (the inner tag).
    pub vlan: Option<u16>,
    /// Source address and prefix length (0: any source).
    pub src: (std::net::Ipv4Addr, u8),
    pub action: FlowAction,
}

impl FlowRule {
    /// A rule for destination `dst_ip:dst_port`, any VLAN, any source.
    pub fn to(dst_ip: std::net::Ipv4Addr, dst_port: u16, action: FlowAction) -> Self {
        FlowRule { dst_ip, dst_port: Some(dst_port), vlan: None, src: (std::net::Ipv4Addr::UNSPECIFIED, 0), action }
    }
}


/// Parse a source match: "a.b.c.d" (exact, /32) or "a.b.c.d/len" (len 0..=32).
pub fn parse_src_prefix(s: &str) -> Result<(Ipv4Addr, u8), String> {
    let (addr, len) = s.split_once('/').unwrap_or((s, "32"));
    let addr: Ipv4Addr = addr.parse().map_err(|_| format!("{s:?}: write an address or a prefix, e.g. \"10.1.0.0/16\""))?;
    let len: u8 = len
        .parse()
        .ok()
        .filter(|l| *l <= 32)
        .ok_or_else(|| format!("{s:?}: the prefix length must be 0..=32"))?;
    Ok((addr, len))
}

/// A whole flow table: rules (lowest index first) and the action for frames matching none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowTable {
    pub rules: Vec<FlowRule>,
    pub default: FlowAction,
}

impl FlowTable {
    /// Deliver everything to ring 0 as feed 0, line A.
    pub fn deliver_all() -> Self {
        FlowTable { rules: Vec::new(), default: FlowAction::Deliver { feed: 0, line: 0, ring: 0 } }
    }

    /// One feed per destination address and port, in the order they first appear among
    /// `frames` (IPv4/UDP ones; others are ignored), all on line A into ring 0; anything else is
    /// dropped. Fails when there are more flows than feeds or rules.
    pub fn one_feed_per_flow<'a>(frames: impl IntoIterator<Item = &'a [u8]>, max_rules: usize) -> Result<Self, String> {
        let mut flows: Vec<(Ipv4Addr, u16)> = Vec::new();
        for f in frames {
            if let Ok(u) = crate::frame::parse(f) {
                let k = (u.dst_ip, u.dst_port);
                if !flows.contains(&k) {
                    flows.push(k);
                }
            }
        }
        let limit = FEEDS.min(max_rules);
        if flows.len() > limit {
            return Err(format!(
                "the capture has {} UDP flows (destination address and port); without a config each becomes a feed, and the card has {limit}: give a config that names the feeds",
                flows.len()
            ));
        }
        let rules = flows
            .iter()
            .enumerate()
            .map(|(i, &(ip, port))| FlowRule::to(ip, port, FlowAction::Deliver { feed: i as u8, line: 0, ring: 0 }))
            .collect();
        Ok(FlowTable { rules, default: FlowAction::Drop })
    }

    /// The rings the table delivers to, ascending.
    pub fn rings(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .rules
            .iter()
            .map(|r| r.action)
            .chain([self.default])
            .filter_map(|a| match a {
                FlowAction::Deliver { ring, .. } => Some(usize::from(ring)),
                FlowAction::Drop => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Header fields the filter looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowKey {
    pub dst_ip: Ipv4Addr,
    pub src_ip: Ipv4Addr,
    pub dst_port: u16,
    /// VLAN id of the innermost tag, None when untagged.
    pub vlan: Option<u16>,
}

impl FlowRule {
    /// Whether a frame with these headers matches the rule.
    pub fn matches(&self, k: &FlowKey) -> bool {
        let (src, len) = self.src;
        let mask = if len == 0 { 0 } else { u32::MAX << (32 - u32::from(len.min(32))) };
        self.dst_ip == k.dst_ip
            && self.dst_port.is_none_or(|p| p == k.dst_port)
            && self.vlan.is_none_or(|v| k.vlan == Some(v))
            && (u32::from(src) & mask) == (u32::from(k.src_ip) & mask)
    }
}

/// The rule that matches first (lowest index), and the action taken.
pub fn lookup(rules: &[FlowRule], default: FlowAction, k: &FlowKey) -> (Option<usize>, FlowAction) {
    match rules.iter().position(|r| r.matches(k)) {
        Some(i) => (Some(i), rules[i].action),
        None => (None, default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(dst: [u8; 4], port: u16, vlan: Option<u16>, src: [u8; 4]) -> FlowKey {
        FlowKey { dst_ip: dst.into(), src_ip: src.into(), dst_port: port, vlan }
    }

    #[test]
    fn source_prefixes() {
        assert_eq!(parse_src_prefix("10.1.0.0/16"), Ok((Ipv4Addr::new(10, 1, 0, 0), 16)));
        assert_eq!(parse_src_prefix("10.1.2.3"), Ok((Ipv4Addr::new(10, 1, 2, 3), 32)));
        assert!(parse_src_prefix("10.1.0.0/33").is_err());
        assert!(parse_src_prefix("10.1.0/8").is_err());
    }

    #[test]
    fn fields_and_priority() {
        let a = FlowAction::Deliver { feed: 1, line: 0, ring: 0 };
        let b = FlowAction::Deliver { feed: 2, line: 1, ring: 1 };
        let rules = [
            FlowRule { vlan: Some(7), ..FlowRule::to([233, 54, 12, 1].into(), 26400, a) },
            FlowRule { src: ([10, 1, 0, 0].into(), 16), ..FlowRule::to([233, 54, 12, 1].into(), 26400, b) },
            FlowRule { dst_port: None, ..FlowRule::to([233, 54, 12, 2].into(), 0, FlowAction::Drop) },
        ];
        let d = FlowAction::Deliver { feed: 15, line: 0, ring: 3 };
        assert_eq!(lookup(&rules, d, &key([233, 54, 12, 1], 26400, Some(7), [1, 2, 3, 4])), (Some(0), a));
        assert_eq!(lookup(&rules, d, &key([233, 54, 12, 1], 26400, None, [10, 1, 9, 9])), (Some(1), b));
        assert_eq!(lookup(&rules, d, &key([233, 54, 12, 1], 26400, None, [10, 2, 9, 9])), (None, d));
        assert_eq!(lookup(&rules, d, &key([233, 54, 12, 2], 1, Some(3), [0, 0, 0, 0])), (Some(2), FlowAction::Drop));
        assert_eq!(lookup(&rules, d, &key([233, 54, 12, 1], 26401, Some(7), [10, 1, 0, 0])), (None, d));
    }
}
