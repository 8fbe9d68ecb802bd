//! Feed and filter configuration (TOML), shared by `tickwire replay` and the daemon.
//!
//! ```toml
//! [filter]
//! default = "drop"        # frames matching no feed: "drop" (default) or "deliver" (feed 15, line A)
//! default_ring = 0
//! hold = false            # true: deliver a frame's ticks only once it is known good
//! max_frame = 1522        # bytes without FCS, 0 = no limit
//!
//! [[feed]]                # feed ids are the order of the [[feed]] tables: 0, 1, ...
//! name = "totalview"
//! ring = 0
//! a = { group = "233.54.12.111", port = 26477 }
//! b = { group = "233.49.196.111", port = 26477, vlan = 12, source = "10.1.0.0/16" }
//! ```
//!
//! The daemon (`tickwired`) reads the same file, with three more sections: `[daemon]` (device,
//! rings, subscriptions, the simulated card's source), `[metrics]` and `[run]`; see
//! docs/daemon.md and [`Config::daemon_settings`]. `tickwire replay` ignores them.
//!
//! Every error names the key and says how to fix it.

use std::net::Ipv4Addr;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use tickwire::flow::{parse_src_prefix, FlowAction, FlowRule, FlowTable, FEEDS};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub filter: FilterConfig,
    #[serde(default)]
    pub feed: Vec<FeedConfig>,
    /// The daemon's own settings (ignored by `tickwire replay`).
    #[serde(default)]
    pub daemon: DaemonConfig,
    /// The daemon's Prometheus endpoint.
    #[serde(default)]
    pub metrics: MetricsConfig,
    /// How long the daemon runs.
    #[serde(default)]
    pub run: RunConfig,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterConfig {
    #[serde(default = "default_drop")]
    pub default: String,
    #[serde(default)]
    pub default_ring: u8,
    #[serde(default)]
    pub hold: bool,
    #[serde(default = "default_max_frame")]
    pub max_frame: u16,
}

impl Default for FilterConfig {
    fn default() -> Self {
        FilterConfig { default: default_drop(), default_ring: 0, hold: false, max_frame: default_max_frame() }
    }
}

fn default_drop() -> String {
    "drop".into()
}

fn default_max_frame() -> u16 {
    1522
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub name: String,
    #[serde(default)]
    pub ring: u8,
    pub a: Option<LineConfig>,
    pub b: Option<LineConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineConfig {
    pub group: String,
    pub port: Option<u16>,
    pub vlan: Option<u16>,
    pub source: Option<String>,
}

pub use crate::daemon::config::{DaemonConfig, MetricsConfig, RunConfig};

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading config {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("config {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let cfg: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        cfg.flow_table(usize::MAX, 32)?;
        Ok(cfg)
    }

    /// The flow table the config asks for, checked against a card with `max_rules` rules and
    /// `rings` rings.
    pub fn flow_table(&self, max_rules: usize, rings: usize) -> Result<FlowTable> {
        if self.feed.len() > FEEDS {
            bail!("feed: {} feeds configured; the card tells {FEEDS} apart: remove some [[feed]] tables", self.feed.len());
        }
        let default = match self.filter.default.as_str() {
            "drop" => FlowAction::Drop,
            "deliver" => FlowAction::Deliver { feed: (FEEDS - 1) as u8, line: 0, ring: self.filter.default_ring },
            other => bail!("filter.default = {other:?}: write \"drop\" or \"deliver\""),
        };
        if usize::from(self.filter.default_ring) >= rings {
            bail!("filter.default_ring = {}: the card has rings 0..{rings}", self.filter.default_ring);
        }
        let mut rules = Vec::new();
        for (i, f) in self.feed.iter().enumerate() {
            if f.name.trim().is_empty() {
                bail!("feed[{i}].name is empty: give the feed a name");
            }
            if usize::from(f.ring) >= rings {
                bail!("feed[{i}].ring = {} ({}): the card has rings 0..{rings}", f.ring, f.name);
            }
            if f.a.is_none() && f.b.is_none() {
                bail!("feed[{i}] ({}): give line a, line b or both (a = {{ group = \"233.54.12.111\", port = 26477 }})", f.name);
            }
            for (line, lc) in [(0u8, &f.a), (1u8, &f.b)] {
                let Some(lc) = lc else { continue };
                let key = format!("feed[{i}].{}", if line == 0 { "a" } else { "b" });
                rules.push(lc.rule(&key, FlowAction::Deliver { feed: i as u8, line, ring: f.ring })?);
            }
        }
        if rules.len() > max_rules {
            bail!("feed: {} lines configured, the card has {max_rules} filter rules: remove lines", rules.len());
        }
        Ok(FlowTable { rules, default })
    }
}

impl LineConfig {
    fn rule(&self, key: &str, action: FlowAction) -> Result<FlowRule> {
        let group: Ipv4Addr = self
            .group
            .parse()
            .map_err(|_| anyhow::anyhow!("{key}.group = {:?} is not an IPv4 address: write it as a.b.c.d", self.group))?;
        if let Some(v) = self.vlan {
            if v > 4095 {
                bail!("{key}.vlan = {v}: a VLAN id is 0..=4095");
            }
        }
        let src = match &self.source {
            None => (Ipv4Addr::UNSPECIFIED, 0),
            Some(s) => parse_src_prefix(s).map_err(|e| anyhow::anyhow!("{key}.source = {e}"))?,
        };
        Ok(FlowRule { dst_ip: group, dst_port: self.port, vlan: self.vlan, src, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_config() {
        let c = Config::parse(
            r#"
            [filter]
            hold = true
            [[feed]]
            name = "itch"
            ring = 1
            a = { group = "233.54.12.111", port = 26477 }
            b = { group = "233.49.196.111", port = 26477, vlan = 12, source = "10.1.0.0/16" }
            "#,
        )
        .unwrap();
        let t = c.flow_table(64, 4).unwrap();
        assert_eq!(t.rules.len(), 2);
        assert_eq!(t.rules[1].action, FlowAction::Deliver { feed: 0, line: 1, ring: 1 });
        assert_eq!(t.rules[1].src, (Ipv4Addr::new(10, 1, 0, 0), 16));
        assert_eq!(t.default, FlowAction::Drop);
        assert!(c.filter.hold);
    }

    #[test]
    fn errors_name_the_key() {
        let e = |s: &str| format!("{:#}", Config::parse(s).unwrap_err());
        assert!(e("[[feed]]\nname = \"x\"\na = { group = \"233.54.12\" }").contains("feed[0].a.group"));
        assert!(e("[[feed]]\nname = \"x\"\nb = { group = \"1.2.3.4\", source = \"1.2.3.4/40\" }").contains("feed[0].b.source"));
        assert!(e("[filter]\ndefault = \"keep\"").contains("filter.default"));
        assert!(e("[[feed]]\nname = \"x\"").contains("line a, line b"));
        assert!(e("[filter]\nholdd = true").contains("holdd"));
    }
}
