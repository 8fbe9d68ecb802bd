//! Order books from decoded ticks: for each tracked (feed, stock_locate), every live order by its
//! order reference number, and the price levels of each side kept up to date with it, so that a
//! top-N snapshot ([`Books::top`]) for clients and the status view costs O(N), not a scan of the
//! orders.
//!
//! # Semantics
//!
//! [`Books::apply`] takes one [`TickRecord`] at a time, in delivery order. Only decoded message
//! records change a book (raw, verdict and event records do not; event and LOSS records may mark
//! books stale, below). A book is keyed by the record's `feed` and `stock_locate`: locates are
//! numbered per ITCH feed, so two feeds' locate 7 are two books.
//!
//! | type | effect |
//! |---|---|
//! | `A`, `F` add | new order: side (`B` buy / `S` sell), price, shares |
//! | `E` executed | remaining shares reduced; the order leaves the book at 0 |
//! | `C` executed with price | the same (the execution price does not move the resting order) |
//! | `X` cancel | the same (a partial cancel) |
//! | `D` delete | the order leaves the book |
//! | `U` replace | the original leaves the book; the new reference is added with the original's side at the message's price and shares |
//! | anything else (`P`, `Q`, `B`, ...) | no change: non-displayed and cross trades never rested in the book |
//!
//! What cannot be applied is counted per book in [`Anomalies`], never a panic:
//! - a reference the book does not hold (`E`, `C`, `X`, `D`, `U`: the book started mid-day,
//!   messages were lost, or the order belongs to an untracked feed): counted by kind in
//!   [`UnknownRefs`] and skipped. A replace of an unknown order is skipped entirely, the new
//!   order too: ITCH gives it the original's side, which we do not know, and guessing would put
//!   shares on a side they may not belong to.
//! - an add (or a replace's new order) whose reference is already live: counted, skipped (the
//!   live order stays).
//! - an execution or cancel of more shares than remain: counted; the order leaves the book.
//! - an add with a side byte other than `B` or `S`: counted, skipped.
//!
//! Order reference numbers are unique per feed and day, so a reference found in the wrong book
//! cannot happen on a well-formed feed; each book looks only in its own orders.
//!
//! # Staleness
//!
//! After messages are lost, any book of that feed may be wrong (an add or a delete missing),
//! and nothing in later messages says when it is right again (an order may rest all day). So
//! the rule is simple and honest: a gap marks every book of the feed *stale* — the ones that
//! exist and the ones created later — until the caller clears it ([`Books::clear_stale`]),
//! typically after rebuilding from a snapshot or at a new day. Books keep being updated while
//! stale. A feed is marked stale by [`Books::on_gap`], or by [`Books::apply`] on a gap event
//! record ([`TickRecord::gap`]) or on a record whose ring dropped ticks before it
//! ([`TickRecord::loss_before`]: the dropped ticks may be of any feed of the ring, so the
//! record's own feed is the best guess; a caller that knows the ring's feeds should call
//! `on_gap` for each). Late fills ([`TickRecord::is_late`]) are applied as they come; they
//! arrive after the gap made the feed stale, so an order they add after its delete went missing
//! leaves the book stale, as it should be.
//!
//! # Costs
//!
//! Per message: one `HashMap` lookup of the book, one of the order, and one `BTreeMap` update of
//! a price level (O(log levels)). Orders sit in a `HashMap` per book and levels in a `BTreeMap`
//! per side; neither is scanned per message. Allocation in steady state: the order map grows to
//! the day's peak of live orders and then reuses its capacity; a price level that appears may
//! allocate a B-tree node (and one that disappears may free one), which is the only
//! per-message allocation. [`Books::top`] allocates its two result vectors; [`Book::levels`]
//! iterates without allocating.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::tick::{ItchTick, TickRecord};

/// The side of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// `B`: a bid.
    Buy,
    /// `S`: an ask.
    Sell,
}

impl Side {
    /// The side of an ITCH `buy_sell_indicator`, `None` for a byte other than `B` or `S`.
    pub fn from_indicator(b: u8) -> Option<Side> {
        match b {
            b'B' => Some(Side::Buy),
            b'S' => Some(Side::Sell),
            _ => None,
        }
    }
}

/// A live order: side, price (ITCH `Price(4)`, raw) and remaining shares (never 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    /// Bid or ask.
    pub side: Side,
    /// Limit price, 4 implied decimals.
    pub price: u32,
    /// Shares still resting.
    pub shares: u32,
}

/// One price level of one side: the sum of its orders' remaining shares and their number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Level {
    /// Price, 4 implied decimals.
    pub price: u32,
    /// Remaining shares of all orders at this price.
    pub shares: u64,
    /// Orders at this price.
    pub orders: u32,
}

/// Messages that named an order reference the book does not hold, by message type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct UnknownRefs {
    /// `E`.
    pub executed: u64,
    /// `C`.
    pub executed_with_price: u64,
    /// `X`.
    pub cancel: u64,
    /// `D`.
    pub delete: u64,
    /// `U` (original reference unknown; the new order is not added).
    pub replace: u64,
}

impl UnknownRefs {
    /// All kinds together.
    pub fn total(&self) -> u64 {
        self.executed + self.executed_with_price + self.cancel + self.delete + self.replace
    }

    fn add(&mut self, o: &UnknownRefs) {
        self.executed += o.executed;
        self.executed_with_price += o.executed_with_price;
        self.cancel += o.cancel;
        self.delete += o.delete;
        self.replace += o.replace;
    }
}

/// Messages a book could not apply as they stand (see the module doc); all 0 on a clean feed
/// seen from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Anomalies {
    /// References not in the book, by message type.
    pub unknown_refs: UnknownRefs,
    /// Adds (or replaces' new orders) whose reference was already live: skipped.
    pub duplicate_refs: u64,
    /// Executions or cancels of more shares than remained: the order was removed.
    pub overdrawn: u64,
    /// Adds with a side other than `B`/`S`: skipped.
    pub bad_side: u64,
}

impl Anomalies {
    fn add(&mut self, o: &Anomalies) {
        self.unknown_refs.add(&o.unknown_refs);
        self.duplicate_refs += o.duplicate_refs;
        self.overdrawn += o.overdrawn;
        self.bad_side += o.bad_side;
    }
}

/// The best `n` levels of each side: bids from the highest price down, asks from the lowest up.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Top {
    /// Best bids first.
    pub bids: Vec<Level>,
    /// Best asks first.
    pub asks: Vec<Level>,
    /// The feed is stale (see the module doc): the levels may be wrong.
    pub stale: bool,
}

/// Per-price aggregate of one side (read through [`Level`]).
#[derive(Clone, Copy, Debug, Default)]
struct Agg {
    shares: u64,
    orders: u32,
}

/// The order-level book of one (feed, stock_locate).
#[derive(Clone, Debug, Default)]
pub struct Book {
    orders: HashMap<u64, Order>,
    bids: BTreeMap<u32, Agg>,
    asks: BTreeMap<u32, Agg>,
    anomalies: Anomalies,
}

impl Book {
    /// The live order with reference `reference`.
    pub fn order(&self, reference: u64) -> Option<&Order> {
        self.orders.get(&reference)
    }

    /// Every live order (reference, order), in no particular order.
    pub fn orders(&self) -> impl Iterator<Item = (u64, &Order)> + '_ {
        self.orders.iter().map(|(r, o)| (*r, o))
    }

    /// Live orders.
    pub fn order_count(&self) -> usize {
        self.orders.len()
    }

    /// The levels of one side, best first (bids descending, asks ascending); no allocation.
    pub fn levels(&self, side: Side) -> Levels<'_> {
        match side {
            Side::Buy => Levels(LevelIter::Bids(self.bids.iter().rev())),
            Side::Sell => Levels(LevelIter::Asks(self.asks.iter())),
        }
    }

    /// Number of price levels on one side.
    pub fn level_count(&self, side: Side) -> usize {
        self.side(side).len()
    }

    /// What this book could not apply.
    pub fn anomalies(&self) -> &Anomalies {
        &self.anomalies
    }

    fn side(&self, side: Side) -> &BTreeMap<u32, Agg> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut BTreeMap<u32, Agg> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// Adds shares (and orders) to a level, creating it.
    fn level_add(&mut self, side: Side, price: u32, shares: u32, orders: u32) {
        let agg = self.side_mut(side).entry(price).or_default();
        agg.shares += u64::from(shares);
        agg.orders += orders;
    }

    /// Takes shares (and orders) from a level, dropping it when no order is left.
    fn level_sub(&mut self, side: Side, price: u32, shares: u32, orders: u32) {
        let levels = self.side_mut(side);
        let agg = levels.get_mut(&price).expect("a live order's level exists");
        agg.shares -= u64::from(shares);
        agg.orders -= orders;
        if agg.orders == 0 {
            debug_assert_eq!(agg.shares, 0);
            levels.remove(&price);
        }
    }

    fn add(&mut self, reference: u64, side: Side, price: u32, shares: u32) {
        use std::collections::hash_map::Entry;
        match self.orders.entry(reference) {
            Entry::Occupied(_) => self.anomalies.duplicate_refs += 1,
            Entry::Vacant(v) => {
                v.insert(Order { side, price, shares });
                self.level_add(side, price, shares, 1);
            }
        }
    }

    fn remove(&mut self, reference: u64) -> Option<Order> {
        let o = self.orders.remove(&reference)?;
        self.level_sub(o.side, o.price, o.shares, 1);
        Some(o)
    }

    /// Takes `shares` from an order (E, C, X); false if the reference is unknown.
    fn reduce(&mut self, reference: u64, shares: u32) -> bool {
        let Some(o) = self.orders.get_mut(&reference) else { return false };
        let o_before = *o;
        if shares >= o.shares {
            if shares > o.shares {
                self.anomalies.overdrawn += 1;
            }
            self.orders.remove(&reference);
            self.level_sub(o_before.side, o_before.price, o_before.shares, 1);
        } else {
            o.shares -= shares;
            self.level_sub(o_before.side, o_before.price, shares, 0);
        }
        true
    }

    /// Applies one decoded ITCH message of this book's locate.
    fn apply(&mut self, msg: &ItchTick) {
        let (known, kind) = match *msg {
            ItchTick::AddOrder { order_reference_number, buy_sell_indicator, shares, price, .. }
            | ItchTick::AddOrderMpid { order_reference_number, buy_sell_indicator, shares, price, .. } => {
                match Side::from_indicator(buy_sell_indicator) {
                    Some(side) => self.add(order_reference_number, side, price, shares),
                    None => self.anomalies.bad_side += 1,
                }
                return;
            }
            ItchTick::OrderExecuted { order_reference_number, executed_shares, .. } => {
                (self.reduce(order_reference_number, executed_shares), RefKind::Executed)
            }
            ItchTick::OrderExecutedWithPrice { order_reference_number, executed_shares, .. } => {
                (self.reduce(order_reference_number, executed_shares), RefKind::ExecutedWithPrice)
            }
            ItchTick::OrderCancel { order_reference_number, cancelled_shares } => {
                (self.reduce(order_reference_number, cancelled_shares), RefKind::Cancel)
            }
            ItchTick::OrderDelete { order_reference_number } => {
                (self.remove(order_reference_number).is_some(), RefKind::Delete)
            }
            ItchTick::OrderReplace { original_order_reference_number, new_order_reference_number, shares, price } => {
                let original = self.remove(original_order_reference_number);
                if let Some(o) = original {
                    self.add(new_order_reference_number, o.side, price, shares);
                }
                (original.is_some(), RefKind::Replace)
            }
            _ => return,
        };
        if !known {
            self.anomalies.unknown_refs.count(kind);
        }
    }
}

/// The message kinds that name a live order.
#[derive(Clone, Copy)]
enum RefKind {
    Executed,
    ExecutedWithPrice,
    Cancel,
    Delete,
    Replace,
}

impl UnknownRefs {
    fn count(&mut self, kind: RefKind) {
        *match kind {
            RefKind::Executed => &mut self.executed,
            RefKind::ExecutedWithPrice => &mut self.executed_with_price,
            RefKind::Cancel => &mut self.cancel,
            RefKind::Delete => &mut self.delete,
            RefKind::Replace => &mut self.replace,
        } += 1;
    }
}

/// The levels of one side of a [`Book`], best first ([`Book::levels`]).
#[derive(Clone, Debug)]
pub struct Levels<'a>(LevelIter<'a>);

#[derive(Clone, Debug)]
enum LevelIter<'a> {
    Bids(std::iter::Rev<std::collections::btree_map::Iter<'a, u32, Agg>>),
    Asks(std::collections::btree_map::Iter<'a, u32, Agg>),
}

impl Iterator for Levels<'_> {
    type Item = Level;

    fn next(&mut self) -> Option<Level> {
        let (p, a) = match &mut self.0 {
            LevelIter::Bids(it) => it.next()?,
            LevelIter::Asks(it) => it.next()?,
        };
        Some(Level { price: *p, shares: a.shares, orders: a.orders })
    }
}

/// Which locates to keep books for.
#[derive(Clone, Debug, Default)]
pub enum Track {
    /// Every locate seen.
    #[default]
    All,
    /// Only these locates (of every feed).
    Locates(HashSet<u16>),
}

/// The order books of the tracked locates of every feed (see the module doc).
#[derive(Clone, Debug, Default)]
pub struct Books {
    track: Track,
    books: HashMap<(u8, u16), Book>,
    stale: HashSet<u8>,
}

impl Books {
    /// Books for the locates `track` names.
    pub fn new(track: Track) -> Books {
        Books { track, ..Books::default() }
    }

    /// Books for every locate seen.
    pub fn all() -> Books {
        Books::new(Track::All)
    }

    /// Books for `locates` only.
    pub fn tracking(locates: impl IntoIterator<Item = u16>) -> Books {
        Books::new(Track::Locates(locates.into_iter().collect()))
    }

    /// True if `locate` is tracked.
    pub fn tracks(&self, locate: u16) -> bool {
        match &self.track {
            Track::All => true,
            Track::Locates(set) => set.contains(&locate),
        }
    }

    /// Applies one record (see the module doc): a decoded order message of a tracked locate
    /// changes its book; a gap event record, or any record with LOSS, marks its feed stale
    /// (not a gap event with RECOVERED: the daemon recovered the whole range and delivers it
    /// next); everything else is ignored.
    pub fn apply(&mut self, rec: &TickRecord) {
        if (rec.gap().is_some() && rec.flags & crate::tick_layout::FLAG_RECOVERED == 0) || rec.loss_before() {
            self.on_gap(rec.feed);
        }
        if !matches!(rec.msg_type, b'A' | b'F' | b'E' | b'C' | b'X' | b'D' | b'U') || !self.tracks(rec.stock_locate) {
            return;
        }
        let Some(msg) = rec.itch() else { return };
        self.books.entry((rec.feed, rec.stock_locate)).or_default().apply(&msg);
    }

    /// Marks every book of `feed` stale, including books created later, until
    /// [`Books::clear_stale`].
    pub fn on_gap(&mut self, feed: u8) {
        self.stale.insert(feed);
    }

    /// Clears the stale mark of `feed` (the caller knows its books are right again).
    pub fn clear_stale(&mut self, feed: u8) {
        self.stale.remove(&feed);
    }

    /// True if `feed`'s books may be wrong (see the module doc).
    pub fn is_stale(&self, feed: u8) -> bool {
        self.stale.contains(&feed)
    }

    /// The book of (`feed`, `locate`), if a message of it was applied.
    pub fn book(&self, feed: u8, locate: u16) -> Option<&Book> {
        self.books.get(&(feed, locate))
    }

    /// Every book: ((feed, locate), book), in no particular order.
    pub fn books(&self) -> impl Iterator<Item = ((u8, u16), &Book)> + '_ {
        self.books.iter().map(|(k, b)| (*k, b))
    }

    /// The best `n` levels of each side of (`feed`, `locate`); empty sides if no message of it
    /// was applied. Costs O(n + log levels).
    pub fn top(&self, feed: u8, locate: u16, n: usize) -> Top {
        let stale = self.is_stale(feed);
        match self.book(feed, locate) {
            Some(b) => Top {
                bids: b.levels(Side::Buy).take(n).collect(),
                asks: b.levels(Side::Sell).take(n).collect(),
                stale,
            },
            None => Top { stale, ..Top::default() },
        }
    }

    /// Every book's anomalies together.
    pub fn anomalies(&self) -> Anomalies {
        let mut a = Anomalies::default();
        for b in self.books.values() {
            a.add(&b.anomalies);
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itch::{pad_alpha, Body, Header, Message};
    use crate::tick::{EVENT_GAP, FLAG_EVENT, FLAG_LOSS, TICK_BODY_OFF, TICK_BYTES, TICK_EV_BITS_OFF, TICK_GAP_FIRST_OFF};

    const LOC: u16 = 5;

    fn tick(locate: u16, body: Body) -> TickRecord {
        let m = Message { header: Header { stock_locate: locate, tracking_number: 0, timestamp: 1 }, body };
        TickRecord::from_itch(&m.encode())
    }

    fn add(r: u64, side: u8, shares: u32, price: u32) -> TickRecord {
        tick(LOC, Body::AddOrder { order_reference_number: r, buy_sell_indicator: side, shares, stock: pad_alpha("TEST"), price })
    }
    fn add_f(r: u64, side: u8, shares: u32, price: u32) -> TickRecord {
        tick(
            LOC,
            Body::AddOrderMpid { order_reference_number: r, buy_sell_indicator: side, shares, stock: pad_alpha("TEST"), price, attribution: pad_alpha("GSCO") },
        )
    }
    fn exec(r: u64, shares: u32) -> TickRecord {
        tick(LOC, Body::OrderExecuted { order_reference_number: r, executed_shares: shares, match_number: 1 })
    }
    fn exec_p(r: u64, shares: u32) -> TickRecord {
        tick(
            LOC,
            Body::OrderExecutedWithPrice { order_reference_number: r, executed_shares: shares, match_number: 2, printable: b'Y', execution_price: 999 },
        )
    }
    fn cancel(r: u64, shares: u32) -> TickRecord {
        tick(LOC, Body::OrderCancel { order_reference_number: r, cancelled_shares: shares })
    }
    fn delete(r: u64) -> TickRecord {
        tick(LOC, Body::OrderDelete { order_reference_number: r })
    }
    fn replace(old: u64, new: u64, shares: u32, price: u32) -> TickRecord {
        tick(LOC, Body::OrderReplace { original_order_reference_number: old, new_order_reference_number: new, shares, price })
    }
    fn lv(price: u32, shares: u64, orders: u32) -> Level {
        Level { price, shares, orders }
    }
    fn feed_all(books: &mut Books, recs: &[TickRecord]) {
        for r in recs {
            books.apply(r);
        }
    }

    #[test]
    fn adds_aggregate_into_levels_best_first() {
        let mut b = Books::all();
        feed_all(
            &mut b,
            &[add(1, b'B', 100, 10_0000), add_f(2, b'B', 50, 10_0000), add(3, b'B', 10, 9_9900), add(4, b'S', 30, 10_0100), add(5, b'S', 40, 10_0200)],
        );
        let t = b.top(0, LOC, 10);
        assert_eq!(t.bids, vec![lv(10_0000, 150, 2), lv(9_9900, 10, 1)]);
        assert_eq!(t.asks, vec![lv(10_0100, 30, 1), lv(10_0200, 40, 1)]);
        assert!(!t.stale);
        assert_eq!(b.top(0, LOC, 1).bids, vec![lv(10_0000, 150, 2)]);
        assert_eq!(b.book(0, LOC).unwrap().order(2), Some(&Order { side: Side::Buy, price: 10_0000, shares: 50 }));
        assert_eq!(b.anomalies(), Anomalies::default());
        assert_eq!(b.top(0, LOC + 1, 5), Top::default());
    }

    #[test]
    fn executions_and_cancels_reduce_then_remove_at_zero() {
        let mut b = Books::all();
        feed_all(&mut b, &[add(1, b'S', 100, 500), add(2, b'S', 100, 500), exec(1, 30), exec_p(1, 20), cancel(1, 10)]);
        let bk = b.book(0, LOC).unwrap();
        assert_eq!(bk.order(1).unwrap().shares, 40);
        assert_eq!(b.top(0, LOC, 5).asks, vec![lv(500, 140, 2)]);
        b.apply(&exec(1, 40)); // exactly to zero: gone
        assert!(b.book(0, LOC).unwrap().order(1).is_none());
        assert_eq!(b.top(0, LOC, 5).asks, vec![lv(500, 100, 1)]);
        b.apply(&cancel(2, 60));
        b.apply(&exec_p(2, 40)); // C to zero
        let bk = b.book(0, LOC).unwrap();
        assert_eq!((bk.order_count(), bk.level_count(Side::Sell)), (0, 0));
        assert_eq!(b.anomalies(), Anomalies::default());
        // more than remains: counted, order removed
        feed_all(&mut b, &[add(3, b'B', 10, 7), cancel(3, 11)]);
        assert_eq!(b.book(0, LOC).unwrap().order_count(), 0);
        assert_eq!(b.top(0, LOC, 5).bids, vec![]);
        assert_eq!(b.anomalies().overdrawn, 1);
    }

    #[test]
    fn delete_removes_the_whole_order() {
        let mut b = Books::all();
        feed_all(&mut b, &[add(1, b'B', 100, 500), add(2, b'B', 7, 500), exec(1, 1), delete(1)]);
        assert_eq!(b.top(0, LOC, 5).bids, vec![lv(500, 7, 1)]);
        b.apply(&delete(2));
        assert_eq!(b.top(0, LOC, 5), Top::default());
    }

    #[test]
    fn replace_chain_keeps_side_and_moves_price_and_shares() {
        let mut b = Books::all();
        feed_all(&mut b, &[add(1, b'S', 100, 500), replace(1, 2, 80, 510), exec(2, 30), replace(2, 3, 200, 490), replace(3, 4, 5, 490)]);
        let bk = b.book(0, LOC).unwrap();
        assert_eq!(bk.order_count(), 1);
        assert_eq!(bk.order(4), Some(&Order { side: Side::Sell, price: 490, shares: 5 }));
        assert!(bk.order(1).is_none() && bk.order(2).is_none() && bk.order(3).is_none());
        assert_eq!(b.top(0, LOC, 5), Top { bids: vec![], asks: vec![lv(490, 5, 1)], stale: false });
        b.apply(&delete(4));
        assert_eq!(b.top(0, LOC, 5), Top::default());
        assert_eq!(b.anomalies(), Anomalies::default());
    }

    #[test]
    fn unknown_references_are_counted_per_kind_and_skipped() {
        let mut b = Books::all();
        feed_all(
            &mut b,
            &[add(1, b'B', 10, 100), exec(9, 1), exec(9, 2), exec_p(9, 1), cancel(9, 1), delete(9), replace(9, 10, 50, 100), delete(10)],
        );
        let u = b.anomalies().unknown_refs;
        assert_eq!(u, UnknownRefs { executed: 2, executed_with_price: 1, cancel: 1, delete: 2, replace: 1 });
        assert_eq!(u.total(), 7);
        // the replace of an unknown order did not add its new order
        assert_eq!(b.top(0, LOC, 5).bids, vec![lv(100, 10, 1)]);
        // a duplicate add and a bad side are counted and skipped
        feed_all(&mut b, &[add(1, b'S', 99, 1), add(7, b'?', 5, 5), add(8, b'B', 1, 100), replace(8, 1, 3, 3)]);
        let a = b.anomalies();
        assert_eq!((a.duplicate_refs, a.bad_side), (2, 1));
        assert_eq!(b.book(0, LOC).unwrap().order(1), Some(&Order { side: Side::Buy, price: 100, shares: 10 }));
        assert_eq!(b.top(0, LOC, 5).bids, vec![lv(100, 10, 1)]);
    }

    #[test]
    fn only_tracked_locates_and_order_messages_count() {
        let mut b = Books::tracking([LOC]);
        let other = tick(LOC + 1, Body::AddOrder { order_reference_number: 1, buy_sell_indicator: b'B', shares: 1, stock: pad_alpha("X"), price: 1 });
        let trade = tick(
            LOC,
            Body::Trade { order_reference_number: 0, buy_sell_indicator: b'B', shares: 9, stock: pad_alpha("TEST"), price: 3, match_number: 4 },
        );
        feed_all(&mut b, &[other, trade, tick(LOC, Body::BrokenTrade { match_number: 4 }), add(2, b'B', 1, 1)]);
        assert!(b.book(0, LOC + 1).is_none());
        assert_eq!(b.books().count(), 1);
        assert_eq!(b.top(0, LOC, 5).bids, vec![lv(1, 1, 1)]);
        // a raw record (wrong length) is ignored
        let mut m = Message { header: Header { stock_locate: LOC, tracking_number: 0, timestamp: 1 }, body: Body::OrderDelete { order_reference_number: 2 } }.encode();
        m.push(0);
        let r = TickRecord::from_itch(&m);
        assert!(r.is_raw());
        b.apply(&r);
        assert_eq!(b.top(0, LOC, 5).bids, vec![lv(1, 1, 1)]);
        // the same locate on another feed is another book
        let mut f1 = add(2, b'S', 4, 4);
        f1.feed = 1;
        b.apply(&f1);
        assert_eq!(b.top(1, LOC, 5).asks, vec![lv(4, 4, 1)]);
        assert_eq!(b.top(0, LOC, 5).asks, vec![]);
    }

    #[test]
    fn gaps_and_loss_mark_the_feed_stale_until_cleared() {
        let mut b = Books::all();
        b.apply(&add(1, b'B', 1, 1));
        assert!(!b.top(0, LOC, 1).stale);
        // a gap event record of feed 2: sequence numbers 10..15 missing
        let mut ev = TickRecord::from_bytes(&[0u8; TICK_BYTES]);
        ev.flags = FLAG_EVENT;
        ev.feed = 2;
        ev.seq = 15;
        ev.body[TICK_EV_BITS_OFF - TICK_BODY_OFF] = EVENT_GAP;
        ev.body[TICK_GAP_FIRST_OFF - TICK_BODY_OFF] = 10;
        assert_eq!(ev.gap(), Some(10..15));
        b.apply(&ev);
        assert!(b.is_stale(2) && !b.is_stale(0));
        assert!(b.top(2, LOC, 1).stale && !b.top(0, LOC, 1).stale);
        // a record of feed 0 after ring loss
        let mut lossy = add(2, b'B', 1, 1);
        lossy.flags |= FLAG_LOSS;
        b.apply(&lossy);
        assert!(b.top(0, LOC, 1).stale);
        assert_eq!(b.top(0, LOC, 1).bids, vec![lv(1, 2, 2)]); // still applied
        b.clear_stale(0);
        assert!(!b.top(0, LOC, 1).stale && b.is_stale(2));
        b.on_gap(0);
        assert!(b.is_stale(0));
    }
}
