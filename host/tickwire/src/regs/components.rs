//! SystemRDL component definitions
#![allow(non_camel_case_types)] // needed for type normalization suffixes

use super::_root; // alias to root module of generated code

pub mod tw_flow_rf;
pub mod tw_hist_rf;
pub mod tw_regs;
pub mod tw_ring_hist_rf;
pub mod tw_ring_rf;
pub mod tw_rule_rf;
