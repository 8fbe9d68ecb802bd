# SPDX-License-Identifier: Apache-2.0
"""itchfeed's attribute names where they differ from the ITCH 5.0 specification's (ITCH50.md,
hdl/regs/tick.toml) in snake_case: one table for every test that uses itchfeed as an oracle
(tests/conftest.py, hdl/tb/tw_mold_rx)."""

RENAME = {
    ("I", "variation_indicator"): "price_variation_indicator",
    ("J", "auction_collar_extention"): "auction_collar_extension",
    ("K", "ipo_release_qualifier"): "ipo_quotation_release_qualifier",
    ("K", "ipo_release_time"): "ipo_quotation_release_time",
    ("R", "luld_ref"): "luld_reference_price_tier",
    ("U", "order_reference_number"): "original_order_reference_number",
    ("V", "level1_price"): "level1",
    ("V", "level2_price"): "level2",
    ("V", "level3_price"): "level3",
}
