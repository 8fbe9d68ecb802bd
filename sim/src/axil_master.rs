// SPDX-License-Identifier: Apache-2.0
//! AXI4-Lite master for the CSRs (model + monitor of the slave's responses).
//!
//! One transaction at a time. A write presents AW and W together, or one of them a cycle ahead of
//! the other ([`AxilWriteOrder`]); never waits for one handshake before offering the other (a slave
//! may legally wait for both valids). `bready`/`rready` are always high, so a response that comes
//! when none is expected is caught. Pure state machine, like the other bus models: [`AxilMaster::drive`]
//! for the current cycle, [`AxilMaster::clock`] at the rising edge with the slave's pre-edge signals.

/// What the master drives (tw_core's `s_axil_*` inputs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AxilReq {
    pub awvalid: bool,
    pub awaddr: u16,
    pub awprot: u8,
    pub wvalid: bool,
    pub wdata: u32,
    pub wstrb: u8,
    pub bready: bool,
    pub arvalid: bool,
    pub araddr: u16,
    pub arprot: u8,
    pub rready: bool,
}

/// What the CSR slave drives back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AxilRsp {
    pub awready: bool,
    pub wready: bool,
    pub bvalid: bool,
    pub bresp: u8,
    pub arready: bool,
    pub rvalid: bool,
    pub rdata: u32,
    pub rresp: u8,
}

/// Which write channel goes first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AxilWriteOrder {
    /// AWVALID and WVALID in the same cycle.
    #[default]
    Together,
    /// AWVALID one cycle before WVALID.
    AwFirst,
    /// WVALID one cycle before AWVALID.
    WFirst,
}

/// A finished transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxilResult {
    Write { resp: u8 },
    Read { data: u32, resp: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    /// AW/W still to be accepted; `lag` cycles before the second channel is offered.
    Write {
        aw: bool,
        w: bool,
        lag: u8,
        aw_first: bool,
    },
    WaitB,
    Read {
        ar: bool,
    },
    WaitR,
}

/// The CSR master.
#[derive(Debug)]
pub struct AxilMaster {
    out: AxilReq,
    state: State,
    result: Option<AxilResult>,
}

impl Default for AxilMaster {
    fn default() -> Self {
        AxilMaster::new()
    }
}

impl AxilMaster {
    pub fn new() -> AxilMaster {
        AxilMaster {
            out: AxilReq {
                bready: true,
                rready: true,
                ..Default::default()
            },
            state: State::Idle,
            result: None,
        }
    }

    /// Signals driven during the current cycle.
    pub fn drive(&self) -> AxilReq {
        self.out
    }

    pub fn busy(&self) -> bool {
        self.state != State::Idle
    }

    /// The channel the current transaction waits on ("AW/W", "B", "AR", "R"), or "" when idle.
    pub fn waiting_for(&self) -> &'static str {
        match self.state {
            State::Idle => "",
            State::Write { .. } => "AW/W",
            State::WaitB => "B",
            State::Read { .. } => "AR",
            State::WaitR => "R",
        }
    }

    /// Start a write; takes effect on the signals right away (drive() changes).
    pub fn start_write(&mut self, addr: u16, data: u32, strb: u8, order: AxilWriteOrder) {
        assert!(!self.busy(), "AxilMaster: one transaction at a time");
        self.out.awaddr = addr;
        self.out.awprot = 0;
        self.out.wdata = data;
        self.out.wstrb = strb;
        let (lag, aw_first) = match order {
            AxilWriteOrder::Together => (0, true),
            AxilWriteOrder::AwFirst => (1, true),
            AxilWriteOrder::WFirst => (1, false),
        };
        self.state = State::Write {
            aw: true,
            w: true,
            lag,
            aw_first,
        };
        self.update_valids();
    }

    /// Start a read; takes effect on the signals right away.
    pub fn start_read(&mut self, addr: u16) {
        assert!(!self.busy(), "AxilMaster: one transaction at a time");
        self.out.araddr = addr;
        self.out.arprot = 0;
        self.state = State::Read { ar: true };
        self.update_valids();
    }

    /// The result of the transaction that finished, once.
    pub fn take_result(&mut self) -> Option<AxilResult> {
        self.result.take()
    }

    /// Give up on the current transaction (after a timeout): valids drop, state is idle.
    pub fn abort(&mut self) {
        self.state = State::Idle;
        self.update_valids();
    }

    /// Rising edge of clk number `cycle`; `s` is what the slave drove just before it.
    pub fn clock(&mut self, s: &AxilRsp, cycle: u64) {
        let o = self.out;
        let b = o.bready && s.bvalid;
        let r = o.rready && s.rvalid;
        self.state = match self.state {
            State::Idle => State::Idle,
            State::Write {
                mut aw,
                mut w,
                lag,
                aw_first,
            } => {
                if o.awvalid && s.awready {
                    aw = false;
                }
                if o.wvalid && s.wready {
                    w = false;
                }
                if !aw && !w {
                    State::WaitB
                } else {
                    State::Write {
                        aw,
                        w,
                        lag: lag.saturating_sub(1),
                        aw_first,
                    }
                }
            }
            State::Read { ar } => {
                if o.arvalid && s.arready {
                    State::WaitR
                } else {
                    State::Read { ar }
                }
            }
            st => st,
        };
        if b {
            assert!(
                self.state == State::WaitB && !(o.awvalid && s.awready) && !(o.wvalid && s.wready),
                "AXI4-Lite protocol: s_axil_bvalid at clk cycle {cycle} with no write whose AW and W were both accepted before"
            );
            self.result = Some(AxilResult::Write { resp: s.bresp });
            self.state = State::Idle;
        }
        if r {
            assert!(
                self.state == State::WaitR && !(o.arvalid && s.arready),
                "AXI4-Lite protocol: s_axil_rvalid at clk cycle {cycle} with no read whose AR was accepted before"
            );
            self.result = Some(AxilResult::Read {
                data: s.rdata,
                resp: s.rresp,
            });
            self.state = State::Idle;
        }
        self.update_valids();
    }

    fn update_valids(&mut self) {
        let (awv, wv, arv) = match self.state {
            State::Write {
                aw,
                w,
                lag,
                aw_first,
            } => {
                let (aw_on, w_on) = if lag == 0 {
                    (true, true)
                } else {
                    (aw_first, !aw_first)
                };
                (aw && aw_on, w && w_on, false)
            }
            State::Read { ar } => (false, false, ar),
            _ => (false, false, false),
        };
        self.out.awvalid = awv;
        self.out.wvalid = wv;
        self.out.arvalid = arv;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny register-file slave: `ready_every` cycles between readies, B/R one cycle later.
    struct Slave {
        regs: [u32; 4],
        out: AxilRsp,
        aw: Option<u16>,
        w: Option<(u32, u8)>,
        ar: Option<u16>,
        n: u64,
        ready_every: u64,
    }

    impl Slave {
        fn clock(&mut self, m: &AxilReq) {
            let o = self.out;
            if m.awvalid && o.awready {
                self.aw = Some(m.awaddr);
            }
            if m.wvalid && o.wready {
                self.w = Some((m.wdata, m.wstrb));
            }
            if m.arvalid && o.arready {
                self.ar = Some(m.araddr);
            }
            if o.bvalid && m.bready {
                self.out.bvalid = false;
            }
            if o.rvalid && m.rready {
                self.out.rvalid = false;
            }
            if let (Some(a), Some((d, _))) = (self.aw, self.w) {
                if !self.out.bvalid {
                    self.regs[(a / 4) as usize % 4] = d;
                    self.out.bvalid = true;
                    self.out.bresp = if a >= 16 { 2 } else { 0 };
                    self.aw = None;
                    self.w = None;
                }
            }
            if let Some(a) = self.ar.take() {
                self.out.rvalid = true;
                self.out.rdata = self.regs[(a / 4) as usize % 4];
            }
            self.n += 1;
            let rdy = self.n.is_multiple_of(self.ready_every);
            self.out.awready = rdy && self.aw.is_none();
            self.out.wready = rdy && self.w.is_none();
            self.out.arready = rdy && self.ar.is_none() && !self.out.rvalid;
        }
    }

    fn run(m: &mut AxilMaster, s: &mut Slave) -> AxilResult {
        for c in 0..100 {
            let mo = m.drive();
            let so = s.out;
            m.clock(&so, c);
            s.clock(&mo);
            if let Some(r) = m.take_result() {
                return r;
            }
        }
        panic!("no result");
    }

    #[test]
    fn write_orders_and_reads() {
        for every in 1..4 {
            let mut s = Slave {
                regs: [0; 4],
                out: AxilRsp::default(),
                aw: None,
                w: None,
                ar: None,
                n: 0,
                ready_every: every,
            };
            let mut m = AxilMaster::new();
            for (i, order) in [
                AxilWriteOrder::Together,
                AxilWriteOrder::AwFirst,
                AxilWriteOrder::WFirst,
            ]
            .into_iter()
            .enumerate()
            {
                m.start_write(4 * i as u16, 0x100 + i as u32, 0xf, order);
                if order == AxilWriteOrder::WFirst {
                    assert!(m.drive().wvalid && !m.drive().awvalid);
                }
                assert_eq!(run(&mut m, &mut s), AxilResult::Write { resp: 0 });
                assert!(!m.busy());
            }
            for i in 0..3u16 {
                m.start_read(4 * i);
                assert_eq!(
                    run(&mut m, &mut s),
                    AxilResult::Read {
                        data: 0x100 + i as u32,
                        resp: 0
                    }
                );
            }
            m.start_write(16, 1, 0xf, AxilWriteOrder::Together);
            assert_eq!(run(&mut m, &mut s), AxilResult::Write { resp: 2 });
        }
    }

    #[test]
    #[should_panic(expected = "s_axil_bvalid at clk cycle 3 with no write")]
    fn unexpected_b_panics() {
        let mut m = AxilMaster::new();
        m.clock(
            &AxilRsp {
                bvalid: true,
                ..Default::default()
            },
            3,
        );
    }

    #[test]
    #[should_panic(expected = "s_axil_rvalid")]
    fn r_before_ar_accepted_panics() {
        let mut m = AxilMaster::new();
        m.start_read(0);
        m.clock(
            &AxilRsp {
                rvalid: true,
                ..Default::default()
            },
            1,
        );
    }
}
