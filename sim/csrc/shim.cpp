// SPDX-License-Identifier: Apache-2.0
// extern "C" shim around the Verilated tw_core: create/destroy, one call that drives every input,
// evaluates and reads back every output, and optional waveform tracing. The structs below are
// mirrored by #[repr(C)] structs in sim/src/ffi.rs; tw_sim_abi() lets Rust check the layouts match.
//
// Compiled once per RTL parameter variant (sim/build.rs, table in sim/src/rtl_variants.rs):
// TW_MODEL is the variant's Verilated class (Vtw_core, Vtw_core_small, ...), TW_MODEL_H its header
// and TW_SUFFIX the suffix of every extern "C" name (tw_sim_new_small, ...), so the models of all
// variants link into one binary; sim/src/ffi.rs calls them through one function table per variant.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#if !defined(TW_MODEL) || !defined(TW_MODEL_H) || !defined(TW_SUFFIX)
#error "build.rs defines TW_MODEL, TW_MODEL_H and TW_SUFFIX for each RTL variant"
#endif
#include TW_MODEL_H
#include "verilated.h"

#define TW_CAT_(a, b) a##b
#define TW_CAT(a, b) TW_CAT_(a, b)
#define TW_FN(name) TW_CAT(name, TW_SUFFIX)
// Every name with external linkage gets the suffix. tw_sim is a C++ class (its implicit
// destructor is an inline function emitted in every object): one name per variant keeps the
// variants' destructors apart. tw_inputs/tw_outputs are the same plain structs in every variant.
#define tw_sim TW_FN(tw_sim)
#define tw_sim_abi TW_FN(tw_sim_abi)
#define tw_sim_trace_kind TW_FN(tw_sim_trace_kind)
#define tw_sim_new TW_FN(tw_sim_new)
#define tw_sim_free TW_FN(tw_sim_free)
#define tw_sim_eval TW_FN(tw_sim_eval)
#define tw_sim_trace_open TW_FN(tw_sim_trace_open)
#define tw_sim_trace_flush TW_FN(tw_sim_trace_flush)

#if VM_TRACE_FST
#include "verilated_fst_c.h"
using TwTrace = VerilatedFstC;
#elif VM_TRACE_VCD
#include "verilated_vcd_c.h"
using TwTrace = VerilatedVcdC;
#endif

extern "C" {

// Inputs of tw_core except the two clocks (passed separately to tw_sim_eval).
struct tw_inputs {
    uint64_t s_axis_tdata;
    uint8_t rx_rst;
    uint8_t s_axis_tkeep;
    uint8_t s_axis_tvalid;
    uint8_t s_axis_tlast;
    uint8_t s_axis_tuser;
    uint8_t rst;
    uint8_t s_axil_awvalid;
    uint8_t s_axil_awprot;
    uint16_t s_axil_awaddr;
    uint16_t s_axil_araddr;
    uint32_t s_axil_wdata;
    uint8_t s_axil_wvalid;
    uint8_t s_axil_wstrb;
    uint8_t s_axil_bready;
    uint8_t s_axil_arvalid;
    uint8_t s_axil_arprot;
    uint8_t s_axil_rready;
    uint8_t m_axi_awready;
    uint8_t m_axi_wready;
    uint8_t m_axi_bid;
    uint8_t m_axi_bresp;
    uint8_t m_axi_bvalid;
    uint8_t pad0;
};

// Every output of tw_core. The 512-bit wdata as 8 little-endian u64 words (word 0 = bits 63:0).
struct tw_outputs {
    uint64_t m_axi_awaddr;
    uint64_t m_axi_wdata[8];
    uint64_t m_axi_wstrb;
    uint32_t s_axil_rdata;
    uint32_t irq;
    uint8_t s_axil_awready;
    uint8_t s_axil_wready;
    uint8_t s_axil_bvalid;
    uint8_t s_axil_bresp;
    uint8_t s_axil_arready;
    uint8_t s_axil_rvalid;
    uint8_t s_axil_rresp;
    uint8_t m_axi_awid;
    uint8_t m_axi_awlen;
    uint8_t m_axi_awsize;
    uint8_t m_axi_awburst;
    uint8_t m_axi_awlock;
    uint8_t m_axi_awcache;
    uint8_t m_axi_awprot;
    uint8_t m_axi_awvalid;
    uint8_t m_axi_wlast;
    uint8_t m_axi_wvalid;
    uint8_t m_axi_bready;
    uint8_t pad0[6];
};

struct tw_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<TW_MODEL> top;
#if VM_TRACE
    std::unique_ptr<TwTrace> trace;
    bool dumped = false;
    uint64_t last_dump = 0;  // a trace takes one dump per time stamp, in increasing order
#endif
};

void tw_sim_abi(size_t* inputs_size, size_t* outputs_size) {
    *inputs_size = sizeof(tw_inputs);
    *outputs_size = sizeof(tw_outputs);
}

// 0: no tracing compiled in, 1: FST, 2: VCD.
int tw_sim_trace_kind(void) {
#if VM_TRACE_FST
    return 1;
#elif VM_TRACE_VCD
    return 2;
#else
    return 0;
#endif
}

// A new model with every flop and memory at a random value derived from `seed` (which must not be
// 0: Verilator reads 0 as "pick a seed from the time"). Null on failure.
tw_sim* tw_sim_new(uint32_t seed) {
    try {
        auto s = std::make_unique<tw_sim>();
        s->ctx = std::make_unique<VerilatedContext>();
        s->ctx->randReset(2);
        s->ctx->randSeed(static_cast<int>(seed & 0x7fffffffu));
        // An RTL $error/$fatal/$stop sets gotError and returns instead of exiting the process;
        // tw_sim_eval reports it and the Rust side panics with the time.
        s->ctx->fatalOnError(false);
#if VM_TRACE
        s->ctx->traceEverOn(true);
#endif
        s->top = std::make_unique<TW_MODEL>(s->ctx.get(), "tw_core");
        static_assert(sizeof(s->top->m_axi_wdata) == 64, "tw_core AXI_DATA_W must be 512");
        return s.release();
    } catch (...) {
        return nullptr;
    }
}

void tw_sim_free(tw_sim* s) {
    if (!s) return;
    Verilated::threadContextp(s->ctx.get());
#if VM_TRACE
    if (s->trace) s->trace->close();
#endif
    s->top->final();
    delete s;
}

// Drive every input, evaluate at `time_ps`, read every output. Returns 0, or 1 when the RTL
// called $finish/$stop/$error/$fatal (see the simulator's stdout for its message).
int tw_sim_eval(tw_sim* s, const tw_inputs* in, uint8_t rx_clk, uint8_t clk, uint64_t time_ps,
                tw_outputs* out) {
    TW_MODEL& t = *s->top;
    Verilated::threadContextp(s->ctx.get());
    s->ctx->time(time_ps);

    t.rx_clk = rx_clk & 1;
    t.rx_rst = in->rx_rst & 1;
    t.s_axis_tdata = in->s_axis_tdata;
    t.s_axis_tkeep = in->s_axis_tkeep;
    t.s_axis_tvalid = in->s_axis_tvalid & 1;
    t.s_axis_tlast = in->s_axis_tlast & 1;
    t.s_axis_tuser = in->s_axis_tuser & 1;
    t.s_axis_ts = 0;  // EXT_TS_EN = 0 in the simulated build: the card clock stamps frames

    t.clk = clk & 1;
    t.rst = in->rst & 1;
    t.s_axil_awvalid = in->s_axil_awvalid & 1;
    t.s_axil_awaddr = in->s_axil_awaddr;
    t.s_axil_awprot = in->s_axil_awprot & 7;
    t.s_axil_wvalid = in->s_axil_wvalid & 1;
    t.s_axil_wdata = in->s_axil_wdata;
    t.s_axil_wstrb = in->s_axil_wstrb & 0xf;
    t.s_axil_bready = in->s_axil_bready & 1;
    t.s_axil_arvalid = in->s_axil_arvalid & 1;
    t.s_axil_araddr = in->s_axil_araddr;
    t.s_axil_arprot = in->s_axil_arprot & 7;
    t.s_axil_rready = in->s_axil_rready & 1;
    t.m_axi_awready = in->m_axi_awready & 1;
    t.m_axi_wready = in->m_axi_wready & 1;
    t.m_axi_bid = in->m_axi_bid;
    t.m_axi_bresp = in->m_axi_bresp & 3;
    t.m_axi_bvalid = in->m_axi_bvalid & 1;

    t.eval();
#if VM_TRACE
    if (s->trace && (!s->dumped || time_ps > s->last_dump)) {
        s->trace->dump(time_ps);
        s->dumped = true;
        s->last_dump = time_ps;
    }
#endif

    out->s_axil_awready = t.s_axil_awready;
    out->s_axil_wready = t.s_axil_wready;
    out->s_axil_bvalid = t.s_axil_bvalid;
    out->s_axil_bresp = t.s_axil_bresp;
    out->s_axil_arready = t.s_axil_arready;
    out->s_axil_rvalid = t.s_axil_rvalid;
    out->s_axil_rdata = t.s_axil_rdata;
    out->irq = t.irq;
    out->s_axil_rresp = t.s_axil_rresp;

    out->m_axi_awid = t.m_axi_awid;
    out->m_axi_awaddr = t.m_axi_awaddr;
    out->m_axi_awlen = t.m_axi_awlen;
    out->m_axi_awsize = t.m_axi_awsize;
    out->m_axi_awburst = t.m_axi_awburst;
    out->m_axi_awlock = t.m_axi_awlock;
    out->m_axi_awcache = t.m_axi_awcache;
    out->m_axi_awprot = t.m_axi_awprot;
    out->m_axi_awvalid = t.m_axi_awvalid;
    for (int i = 0; i < 8; ++i) {
        out->m_axi_wdata[i] = static_cast<uint64_t>(t.m_axi_wdata[2 * i]) |
                              (static_cast<uint64_t>(t.m_axi_wdata[2 * i + 1]) << 32);
    }
    out->m_axi_wstrb = t.m_axi_wstrb;
    out->m_axi_wlast = t.m_axi_wlast;
    out->m_axi_wvalid = t.m_axi_wvalid;
    out->m_axi_bready = t.m_axi_bready;

    return s->ctx->gotFinish() || s->ctx->gotError() ? 1 : 0;
}

// Start dumping waveforms to `path` (FST or VCD, whichever was compiled in). Returns 0 on success,
// -1 when the model was built without tracing (TICKWIRE_SIM_TRACE unset), -2 when already open.
int tw_sim_trace_open(tw_sim* s, const char* path) {
#if VM_TRACE
    if (s->trace) return -2;
    Verilated::threadContextp(s->ctx.get());
    s->trace = std::make_unique<TwTrace>();
    s->top->trace(s->trace.get(), 99);
    s->trace->open(path);
    return 0;
#else
    (void)s;
    (void)path;
    return -1;
#endif
}

void tw_sim_trace_flush(tw_sim* s) {
#if VM_TRACE
    if (s->trace) s->trace->flush();
#else
    (void)s;
#endif
}

}  // extern "C"
