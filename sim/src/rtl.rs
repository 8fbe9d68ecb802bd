// SPDX-License-Identifier: Apache-2.0
//! [`RtlParams`]: which RTL parameter variant of `tw_core` a [`crate::Sim`] is built with.

use crate::rtl_variants::{RtlVariant, RTL_PARAMS, RTL_VARIANTS};
use crate::SimError;

/// The RTL parameters a simulated card is created with (`SimConfig::rtl`). Only the variants
/// listed in [`RTL_VARIANTS`] (sim/src/rtl_variants.rs) are built; asking for anything else is a
/// [`SimError::RtlParams`] that names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RtlParams {
    /// A variant by its name in [`RTL_VARIANTS`] (`"default"`, `"small"`).
    Variant(String),
    /// Parameter values by their `tw_core` names (`RINGS`, `RULES`, `FIFO_DEPTH`); a parameter
    /// left out takes the default variant's value. Matches the variant with exactly these values.
    Values(Vec<(String, i64)>),
}

impl Default for RtlParams {
    /// The first variant, `tw_core`'s defaults.
    fn default() -> Self {
        RtlParams::Variant(RTL_VARIANTS[0].name.to_string())
    }
}

impl From<&str> for RtlParams {
    fn from(name: &str) -> Self {
        RtlParams::Variant(name.to_string())
    }
}

impl RtlParams {
    /// A variant by name.
    pub fn variant(name: &str) -> Self {
        RtlParams::Variant(name.to_string())
    }

    /// Parameter values, e.g. `RtlParams::values([("RINGS", 2), ("RULES", 8), ("FIFO_DEPTH", 16)])`.
    pub fn values<'a>(values: impl IntoIterator<Item = (&'a str, i64)>) -> Self {
        RtlParams::Values(
            values
                .into_iter()
                .map(|(p, v)| (p.to_string(), v))
                .collect(),
        )
    }

    /// The built variant these parameters name.
    pub fn resolve(&self) -> Result<&'static RtlVariant, SimError> {
        let fail = |reason: String| {
            Err(SimError::RtlParams {
                asked: self.to_string(),
                reason,
                built: built(),
            })
        };
        match self {
            RtlParams::Variant(name) => match RTL_VARIANTS.iter().find(|v| v.name == name) {
                Some(v) => Ok(v),
                None => fail(format!("no variant is named {name:?}")),
            },
            RtlParams::Values(values) => {
                let mut want: Vec<(&str, i64)> = RTL_VARIANTS[0].params.to_vec();
                for (i, (p, v)) in values.iter().enumerate() {
                    if values[..i].iter().any(|(q, _)| q == p) {
                        return fail(format!("{p} is given twice"));
                    }
                    match want.iter_mut().find(|slot| slot.0 == p.as_str()) {
                        Some(slot) => slot.1 = *v,
                        None => {
                            return fail(format!(
                                "{p} is not a parameter the variants choose (they choose {})",
                                RTL_PARAMS.join(", ")
                            ))
                        }
                    }
                }
                match RTL_VARIANTS.iter().find(|v| v.params == want.as_slice()) {
                    Some(v) => Ok(v),
                    None => fail("no variant has these values".into()),
                }
            }
        }
    }
}

impl std::fmt::Display for RtlParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RtlParams::Variant(name) => write!(f, "variant {name:?}"),
            RtlParams::Values(values) => {
                let v: Vec<String> = values.iter().map(|(p, v)| format!("{p}={v}")).collect();
                write!(f, "{{{}}}", v.join(", "))
            }
        }
    }
}

/// Every built variant, for error messages: `default (RINGS=4, ...), small (...)`.
fn built() -> String {
    let v: Vec<String> = RTL_VARIANTS.iter().map(|v| v.to_string()).collect();
    v.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_resolve_to_the_same_variant() {
        assert_eq!(RtlParams::default().resolve().unwrap().name, "default");
        assert_eq!(RtlParams::values([]).resolve().unwrap().name, "default");
        assert_eq!(RtlParams::from("small").resolve().unwrap().name, "small");
        let small = RtlParams::values([("RINGS", 2), ("RULES", 8), ("FIFO_DEPTH", 16)]);
        assert_eq!(small.resolve().unwrap().name, "small");
        assert_eq!(small.resolve().unwrap().get("RULES"), Some(8));
        // the default's values, given explicitly
        let d = RtlParams::values([("RULES", 64)]);
        assert_eq!(d.resolve().unwrap().name, "default");
    }

    #[test]
    fn what_is_not_built_is_refused_with_what_is() {
        for (p, why) in [
            (RtlParams::variant("huge"), "no variant is named \"huge\""),
            (
                RtlParams::values([("RINGS", 2)]),
                "no variant has these values",
            ),
            (
                RtlParams::values([("DATA_W", 128)]),
                "DATA_W is not a parameter",
            ),
            (
                RtlParams::values([("RINGS", 2), ("RINGS", 2)]),
                "RINGS is given twice",
            ),
        ] {
            let e = p.resolve().unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
            assert!(e.contains("small (RINGS=2, RULES=8, FIFO_DEPTH=16)"), "{e}");
            assert!(e.contains("sim/src/rtl_variants.rs"), "{e}");
        }
    }
}
