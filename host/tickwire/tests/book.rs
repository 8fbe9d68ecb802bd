//! `tickwire::book` against an independent rebuild: generated trading days go through the
//! card's decoding (`TickRecord::from_itch`, and optionally the simulated card) into `Books`;
//! the same wire messages, decoded by `itch::Message::decode`, go into a plain map of orders
//! whose levels are recomputed by scanning. Every level of every tracked locate must agree.

use std::collections::{BTreeMap, HashMap};

use tickwire::book::{Books, Level, Side, UnknownRefs};
use tickwire::gen::{generate_messages, GenConfig};
use tickwire::itch::{Body, Message};
use tickwire::TickRecord;

/// The reference: orders by reference number, nothing incremental.
#[derive(Default)]
struct RefBooks {
    /// Locates to rebuild (None: all).
    track: Option<Vec<u16>>,
    /// reference → (locate, side byte, price, shares)
    orders: HashMap<u64, (u16, u8, u32, u32)>,
    unknown: UnknownRefs,
}

impl RefBooks {
    fn apply(&mut self, wire: &[u8]) {
        let m = Message::decode(wire).expect("generated messages decode");
        let loc = m.header.stock_locate;
        if self.track.as_ref().is_some_and(|t| !t.contains(&loc)) {
            return;
        }
        let live = |o: &HashMap<u64, (u16, u8, u32, u32)>, r: u64| o.get(&r).is_some_and(|x| x.0 == loc);
        match m.body {
            Body::AddOrder { order_reference_number: r, buy_sell_indicator: s, shares, price, .. }
            | Body::AddOrderMpid { order_reference_number: r, buy_sell_indicator: s, shares, price, .. } => {
                assert!(self.orders.insert(r, (loc, s, price, shares)).is_none());
            }
            Body::OrderExecuted { order_reference_number: r, executed_shares: n, .. }
            | Body::OrderExecutedWithPrice { order_reference_number: r, executed_shares: n, .. }
            | Body::OrderCancel { order_reference_number: r, cancelled_shares: n } => {
                if live(&self.orders, r) {
                    let o = self.orders.get_mut(&r).unwrap();
                    assert!(n <= o.3, "the generator never overdraws");
                    o.3 -= n;
                    if o.3 == 0 {
                        self.orders.remove(&r);
                    }
                } else {
                    match m.body {
                        Body::OrderExecuted { .. } => self.unknown.executed += 1,
                        Body::OrderExecutedWithPrice { .. } => self.unknown.executed_with_price += 1,
                        _ => self.unknown.cancel += 1,
                    }
                }
            }
            Body::OrderDelete { order_reference_number: r } => {
                if live(&self.orders, r) {
                    self.orders.remove(&r);
                } else {
                    self.unknown.delete += 1;
                }
            }
            Body::OrderReplace { original_order_reference_number: old, new_order_reference_number: new, shares, price } => {
                if live(&self.orders, old) {
                    let (_, side, _, _) = self.orders.remove(&old).unwrap();
                    assert!(self.orders.insert(new, (loc, side, price, shares)).is_none());
                } else {
                    self.unknown.replace += 1;
                }
            }
            _ => {}
        }
    }

    /// Levels of one side of one locate, best first, by scanning every order.
    fn levels(&self, locate: u16, side: u8) -> Vec<Level> {
        let mut by_price: BTreeMap<u32, Level> = BTreeMap::new();
        for &(loc, s, price, shares) in self.orders.values() {
            if loc == locate && s == side {
                let l = by_price.entry(price).or_insert(Level { price, shares: 0, orders: 0 });
                l.shares += u64::from(shares);
                l.orders += 1;
            }
        }
        let mut v: Vec<Level> = by_price.into_values().collect();
        if side == b'B' {
            v.reverse();
        }
        v
    }

    fn order_count(&self, locate: u16) -> usize {
        self.orders.values().filter(|o| o.0 == locate).count()
    }
}

/// Every level and order of every locate in `1..=symbols`, and the top 5.
fn compare(books: &Books, reference: &RefBooks, symbols: u16, feed: u8, when: &str) {
    for loc in 1..=symbols {
        let tracked = reference.track.as_ref().is_none_or(|t| t.contains(&loc));
        let bids = reference.levels(loc, b'B');
        let asks = reference.levels(loc, b'S');
        match books.book(feed, loc) {
            None => assert!(!tracked || (bids.is_empty() && asks.is_empty()), "{when}: locate {loc} has no book"),
            Some(b) => {
                assert!(tracked, "{when}: untracked locate {loc} has a book");
                assert_eq!(b.levels(Side::Buy).collect::<Vec<_>>(), bids, "{when}: bids of {loc}");
                assert_eq!(b.levels(Side::Sell).collect::<Vec<_>>(), asks, "{when}: asks of {loc}");
                assert_eq!(b.order_count(), reference.order_count(loc), "{when}: orders of {loc}");
                for (r, o) in b.orders() {
                    let &(l, s, p, n) = reference.orders.get(&r).expect("order in the reference");
                    assert_eq!((l, Some(o.side), o.price, o.shares), (loc, Side::from_indicator(s), p, n), "{when}: order {r}");
                }
            }
        }
        let top = books.top(feed, loc, 5);
        assert_eq!(top.bids, bids.iter().take(5).copied().collect::<Vec<_>>(), "{when}: top bids of {loc}");
        assert_eq!(top.asks, asks.iter().take(5).copied().collect::<Vec<_>>(), "{when}: top asks of {loc}");
    }
}

fn day(seed: u64, symbols: usize, messages: usize) -> Vec<Vec<u8>> {
    let cfg = GenConfig { seed, symbols, messages, ..Default::default() };
    generate_messages(&cfg).expect("generate").iter().map(Message::encode).collect()
}

/// Order-book messages in a day (so that the test is known to exercise every kind).
fn kinds(wire: &[Vec<u8>]) -> HashMap<u8, usize> {
    let mut k = HashMap::new();
    for m in wire {
        *k.entry(m[0]).or_insert(0) += 1;
    }
    k
}

#[test]
fn a_generated_day_builds_the_same_book_as_the_reference() {
    const SYMBOLS: u16 = 12;
    let wire = day(7, SYMBOLS.into(), 150_000);
    let k = kinds(&wire);
    for t in *b"AFECXDU" {
        assert!(k.get(&t).copied().unwrap_or(0) > 100, "few {} messages", t as char);
    }
    let mut books = Books::all();
    let mut reference = RefBooks::default();
    for (i, m) in wire.iter().enumerate() {
        books.apply(&TickRecord::from_itch(m));
        reference.apply(m);
        if i % 10_000 == 9_999 {
            compare(&books, &reference, SYMBOLS, 0, &format!("after message {i}"));
        }
    }
    compare(&books, &reference, SYMBOLS, 0, "end of day");
    assert_eq!(books.anomalies(), Default::default(), "a whole day from its start applies cleanly");
    assert!(!books.is_stale(0));
    // the book is not trivially empty
    let live: usize = books.books().map(|(_, b)| b.order_count()).sum();
    assert!(live > 100, "only {live} live orders");
}

#[test]
fn only_tracked_locates_get_books() {
    const SYMBOLS: u16 = 10;
    let wire = day(11, SYMBOLS.into(), 60_000);
    let track = vec![2, 3, 9];
    let mut books = Books::tracking(track.iter().copied());
    let mut reference = RefBooks { track: Some(track.clone()), ..Default::default() };
    for m in &wire {
        books.apply(&TickRecord::from_itch(m));
        reference.apply(m);
    }
    compare(&books, &reference, SYMBOLS, 0, "end of day");
    let mut have: Vec<u16> = books.books().map(|((_, l), _)| l).collect();
    have.sort();
    assert_eq!(have, track);
}

/// Joining mid-day: references to orders added before the start are counted per kind, exactly
/// as the reference counts them, and the books of what was seen still agree.
#[test]
fn a_book_started_mid_day_counts_unknown_references() {
    const SYMBOLS: u16 = 6;
    let wire = day(3, SYMBOLS.into(), 80_000);
    let mut books = Books::all();
    let mut reference = RefBooks::default();
    for m in &wire[30_000..] {
        books.apply(&TickRecord::from_itch(m));
        reference.apply(m);
    }
    compare(&books, &reference, SYMBOLS, 0, "joined mid-day");
    let got = books.anomalies();
    assert_eq!(got.unknown_refs, reference.unknown);
    for (kind, n) in [
        ("E", reference.unknown.executed),
        ("C", reference.unknown.executed_with_price),
        ("X", reference.unknown.cancel),
        ("D", reference.unknown.delete),
        ("U", reference.unknown.replace),
    ] {
        assert!(n > 0, "no unknown {kind} references: the test would not test them");
    }
    assert_eq!((got.duplicate_refs, got.overdrawn, got.bad_side), (0, 0, 0));
}

/// Through the simulated card (the real driver path): the ticks the host polls build the same
/// book as the wire messages.
#[cfg(feature = "sim")]
#[test]
fn the_simulated_cards_ticks_build_the_same_book() {
    use tickwire::gen::{generate, to_frames};
    use tickwire::replay::{replay, ReplayOptions};
    const SYMBOLS: u16 = 5;
    let cfg = GenConfig { seed: 21, symbols: SYMBOLS.into(), messages: 8_000, ..Default::default() };
    let packets = generate(&cfg).expect("generate");
    let frames = to_frames(&cfg, &packets).expect("frames").into_iter().map(|f| (f.data, false)).collect();
    let mut books = Books::all();
    let mut ticks = 0;
    let summary = replay(frames, &ReplayOptions::default(), |t| {
        ticks += usize::from(t.record.is_message());
        books.apply(&t.record);
    })
    .expect("replay");
    assert_eq!(summary.ring_drops(), 0);
    let mut reference = RefBooks::default();
    let mut feed = None;
    for p in &packets {
        for m in &p.messages {
            reference.apply(m);
        }
    }
    for ((f, _), _) in books.books() {
        assert_eq!(*feed.get_or_insert(f), f, "one feed");
    }
    assert_eq!(ticks, packets.iter().map(|p| p.messages.len()).sum::<usize>());
    compare(&books, &reference, SYMBOLS, feed.expect("books were built"), "after replay");
    assert_eq!(books.anomalies(), Default::default());
    assert!(!books.is_stale(feed.unwrap()));
    assert!(books.books().map(|(_, b)| b.order_count()).sum::<usize>() > 20, "books hold orders");
}
