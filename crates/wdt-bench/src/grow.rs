//! Growing the stock-ins for the query phase, through the store as the server creates them.
//!
//! Each new stock-in receives 1 of each line of a refund order that has room left (an order
//! takes [`REFUND_NUM`] of them; the push phase used at most one), and
//! more refund orders are imported when the seeded ones are full. A month of pushes would have
//! spread the stock-ins over past days, and the query phase reads one-hour windows of them, so
//! the bench's clock is moved back a pseudo-random time of up to 29 days before each creation
//! ([`wdt_protocol::clock::Clock::shift`] on the store's clock); the store stamps each batch of pushes it commits
//! together with the clock as it finds it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use wdt_domain::refund_stockin::{QJB_FIELDS, ReturnLine, ReturnStockin};
use wdt_protocol::Dec4;
use wdt_store::{AppCredential, Store};

use crate::seed::{self, REFUND_NUM};
use crate::wire::{BENCH_WAREHOUSE, LINES};

/// The span the stock-ins are spread over, in milliseconds (29 days: inside the 30-day limit).
pub const SPREAD_MS: i64 = 29 * 86_400_000;
/// Creations waiting for the store at once: enough to fill the writer's batches.
const IN_FLIGHT: u64 = 256;

/// Which refund orders the new stock-ins go to: `orders` seeded ones with room for
/// `REFUND_NUM - 1` more each, then `extra` imported for the growth with room for
/// `REFUND_NUM` each.
struct Slots {
    orders: u64,
    extra: u64,
}

impl Slots {
    /// Room for `needed` stock-ins beside `orders` refund orders that had a push each.
    fn for_growth(orders: u64, needed: u64) -> Slots {
        let spare = (REFUND_NUM - 1) * orders;
        Slots { orders, extra: needed.saturating_sub(spare).div_ceil(REFUND_NUM) }
    }

    /// The refund order (its index `i` of `TK{i}`) of new stock-in `n`: each seeded one in turn,
    /// round after round, then the extra ones, filled one by one.
    fn refund_of(&self, n: u64) -> u64 {
        let spare = (REFUND_NUM - 1) * self.orders;
        if n < spare { n % self.orders } else { self.orders + (n - spare) / REFUND_NUM }
    }
}

/// How far back stock-in `n` is made: pseudo-random, below [`SPREAD_MS`].
fn shift_of(n: u64) -> i64 {
    ((n as i64 + 1).wrapping_mul(2_654_435_761)).rem_euclid(SPREAD_MS)
}

/// New stock-in `n`: 1 of each line of refund order `TK{refund}`, checked, outer number `G{n}`.
pub(crate) fn receipt(n: u64, refund: u64) -> ReturnStockin {
    let one = Dec4::from_int(1).expect("1 is a quantity");
    let lines = (0..LINES).map(|k| ReturnLine { spec_no: format!("S{k}"), num: one, ..ReturnLine::default() });
    ReturnStockin {
        outer_no: Some(format!("G{n}")),
        ..ReturnStockin::checked(format!("TK{refund}"), BENCH_WAREHOUSE.to_owned(), lines.collect(), QJB_FIELDS)
    }
}

/// The growth shared by the tasks that create it.
struct Growth {
    store: Arc<dyn Store>,
    app: AppCredential,
    slots: Slots,
    /// The next stock-in to create.
    next: AtomicU64,
    /// Stock-ins to create.
    needed: u64,
}

impl Growth {
    /// Creates stock-ins, the next one each time, until there are all of them.
    async fn create(self: Arc<Self>) -> anyhow::Result<()> {
        loop {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            if n >= self.needed {
                return Ok(());
            }
            self.store.clock().shift(-shift_of(n));
            let cmd = receipt(n, self.slots.refund_of(n));
            self.store
                .create_return_stockin(&self.app, &cmd)
                .await
                .map_err(|e| anyhow::anyhow!("growing stock-in {n}: {e}"))?;
        }
    }
}

/// Adds stock-ins until there are `target` beside the `pushed` ones the load wrote against
/// refund orders `TK0..TK{orders}`; returns how many there are then.
pub async fn grow(store: &Arc<dyn Store>, orders: u64, pushed: u64, target: u64) -> anyhow::Result<u64> {
    let needed = target.saturating_sub(pushed);
    let slots = Slots::for_growth(orders, needed);
    if slots.extra > 0 {
        seed::add_refund_orders(store, orders..orders + slots.extra).await?;
    }
    let app = crate::store::bench_app(store.as_ref()).await?;
    let growth = Arc::new(Growth { store: Arc::clone(store), app, slots, next: AtomicU64::new(0), needed });
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..IN_FLIGHT.min(needed) {
        tasks.spawn(Arc::clone(&growth).create());
    }
    let mut result = Ok(());
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done.map_err(anyhow::Error::from).and_then(|r| r) {
            result = result.and(Err(e));
        }
    }
    store.clock().release();
    result.map(|()| pushed + needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_refund_order_is_given_more_than_it_expects() {
        for (orders, needed) in [(40, 360), (40, 361), (20_000, 380_000), (3, 100), (0, 25)] {
            let slots = Slots::for_growth(orders, needed);
            let mut taken = std::collections::HashMap::new();
            for n in 0..needed {
                *taken.entry(slots.refund_of(n)).or_insert(0) += 1;
            }
            for (refund, count) in taken {
                // The seeded ones may have had a push already.
                let room = if refund < orders { REFUND_NUM - 1 } else { REFUND_NUM };
                assert!(count <= room, "{orders}/{needed}: TK{refund} took {count}");
                assert!(refund < orders + slots.extra, "{orders}/{needed}: TK{refund} was never imported");
            }
        }
    }

    #[test]
    fn shifts_stay_inside_the_spread() {
        assert!((0..100_000).map(shift_of).all(|s| (0..SPREAD_MS).contains(&s)));
    }
}
