# SPDX-License-Identifier: Apache-2.0
# Vendor IP of the Alveo shells (tw_shell_alveo inside tw_shell_au250/au55c/au280), created from
# scratch on every build (nothing generated is committed). Sourced by bitstreams/alveo_build.tcl
# with $root, $part, $ip_dir and the board facts of bitstreams/<board>/board.tcl set
# ($qsfp0_gt_quad, $qsfp0_gt_lane, $qsfp0_refclk_mhz) and an in-memory project open. Module names
# are the ones tw_shell_alveo instantiates; their ports must equal the lint stubs in
# hdl/shells/stubs/, which the build checks right after generation. The IP options are the same
# on every board except the part and the Ethernet transceiver's site and reference clock.
#
# Option names and values follow PG195 (XDMA) and PG210 (xxv_ethernet) and public recipes that
# use them; the ones no public source confirmed for this exact combination are listed in
# docs/hardware.md, "Unverified". Vivado rejects an unknown option or value at set_property,
# before any long step.

# ---------------------------------------------------------------- PCIe: xdma_0, AXI Bridge
# Endpoint, Gen3 x16, 512-bit AXI at 250 MHz (axi_aclk = tw_core clk).
#  - BAR0 (the CSR window, 32-bit, non-prefetchable: registers have side effects) goes to the
#    master bridge M_AXI_B at AXI address 0; the shell narrows it to the core's AXI4-Lite slave.
#  - The slave bridge S_AXI_B turns tw_core's 64-byte tick writes into PCIe memory writes with an
#    identity address translation over the whole 64-bit space (the core writes IOVAs the driver
#    programmed), one AXI BAR.
#  - IDs, class code and BAR0 size come from hdl/regs/card.toml, like the driver's.
#  - Four user interrupts (MSI), one per ring (tw_core's irq via tw_irq_req).
set pci_device_id [tw_card_value $root device_id]
set pci_class     [tw_card_value $root class_code]
set bar0_bytes    [scan [tw_card_value $root bytes] %x]
if {$bar0_bytes % 1024 != 0} { error "card.toml: bar0 bytes must be whole KiB" }

create_ip -name xdma -vendor xilinx.com -library ip -module_name xdma_0 -dir $ip_dir
set_property -dict [list \
    CONFIG.functional_mode              {AXI_Bridge} \
    CONFIG.mode_selection               {Advanced} \
    CONFIG.device_port_type             {PCI_Express_Endpoint_device} \
    CONFIG.pl_link_cap_max_link_width   {X16} \
    CONFIG.pl_link_cap_max_link_speed   {8.0_GT/s} \
    CONFIG.ref_clk_freq                 {100_MHz} \
    CONFIG.axi_addr_width               {64} \
    CONFIG.axi_data_width               {512_bit} \
    CONFIG.axisten_freq                 {250} \
    CONFIG.pf0_device_id                $pci_device_id \
    CONFIG.pf0_class_code_base          [string range $pci_class 0 1] \
    CONFIG.pf0_class_code_sub           [string range $pci_class 2 3] \
    CONFIG.pf0_class_code_interface     [string range $pci_class 4 5] \
    CONFIG.pf0_class_code               $pci_class \
    CONFIG.pf0_bar0_enabled             {true} \
    CONFIG.pf0_bar0_64bit               {false} \
    CONFIG.pf0_bar0_prefetchable        {false} \
    CONFIG.pf0_bar0_scale               {Kilobytes} \
    CONFIG.pf0_bar0_size                [expr {$bar0_bytes / 1024}] \
    CONFIG.pciebar2axibar_0             {0x0000000000000000} \
    CONFIG.en_axi_slave_if              {true} \
    CONFIG.axibar_num                   {1} \
    CONFIG.BASEADDR                     {0x0000000000000000} \
    CONFIG.HIGHADDR                     {0xFFFFFFFFFFFFFFFF} \
    CONFIG.axibar2pciebar_0             {0x0000000000000000} \
    CONFIG.pf0_msi_enabled              {true} \
    CONFIG.xdma_num_usr_irq             {4} \
] [get_ips xdma_0]

# ---------------------------------------------------------------- Ethernet: xxv_ethernet_0
# One 10GBASE-R core, MAC+PCS/PMA with the 64-bit AXI4-Stream, no AXI4-Lite (the shell ties the
# ctl_* ports), the RX FIFO included so that the RX stream can run on tx_clk_out_0 (PG210:
# rx_core_clk may then be driven by tx_clk_out), GT and shared logic in the core.
# GT: QSFP28 cage 0 lane 0, at the site and with the reference clock of the board's board.tcl (the
# pins in constraints/<board>/pins.xdc must be that site's, or placement stops).
# GT_DRP_CLK is dclk (board clock / SYSCLK_DIV = 100 MHz in tw_shell_alveo).
create_ip -name xxv_ethernet -vendor xilinx.com -library ip -module_name xxv_ethernet_0 -dir $ip_dir
set_property -dict [list \
    CONFIG.CORE                         {Ethernet MAC+PCS/PMA 64-bit} \
    CONFIG.NUM_OF_CORES                 {1} \
    CONFIG.LINE_RATE                    {10} \
    CONFIG.BASE_R_KR                    {BASE-R} \
    CONFIG.DATA_PATH_INTERFACE          {AXI Stream} \
    CONFIG.INCLUDE_AXI4_INTERFACE       {0} \
    CONFIG.INCLUDE_USER_FIFO            {1} \
    CONFIG.GT_REF_CLK_FREQ              $qsfp0_refclk_mhz \
    CONFIG.GT_DRP_CLK                   {100} \
    CONFIG.GT_GROUP_SELECT              $qsfp0_gt_quad \
    CONFIG.LANE1_GT_LOC                 $qsfp0_gt_lane \
    CONFIG.ENABLE_PIPELINE_REG          {1} \
] [get_ips xxv_ethernet_0]
