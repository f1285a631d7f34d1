//! Reading every row of a query: split a time range into the windows the method accepts, page
//! through each, yield the rows in order. One reader for every paged method
//! ([`ReadParams`]): [`ReadAll`].

use std::collections::VecDeque;

use wdt_protocol::methods::reads::{PageRows, ReadParams};
use wdt_protocol::methods::refund_stockin_query::RefundStockinQuery;
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::methods::Paged;
use crate::{Client, Error};

/// The longest window one query may cover, in seconds: 30 days less one second, so the window
/// passes both a 30-day and a 30-calendar-day check.
pub const MAX_WINDOW_SECS: i64 = window_secs(30);

/// The longest window of a method whose span is at most `days` days: `days` days less one second.
pub const fn window_secs(days: i64) -> i64 {
    days * 86_400 - 1
}

/// Splits the closed range `[start, end]` (epoch seconds) into closed windows of at most
/// [`MAX_WINDOW_SECS`]: each starts one second after the previous ends, so no second is missed or
/// read twice.
pub fn split_windows(start: i64, end: i64) -> Vec<(i64, i64)> {
    split_windows_of(start, end, MAX_WINDOW_SECS)
}

/// [`split_windows`] with windows of at most `longest` seconds.
pub fn split_windows_of(start: i64, end: i64, longest: i64) -> Vec<(i64, i64)> {
    let mut windows = Vec::new();
    let mut from = start;
    while from <= end {
        let to = from.saturating_add(longest).min(end);
        windows.push((from, to));
        from = to + 1;
    }
    windows
}

/// A reader of every row of a paged query, page by page and, over a time range, window by window.
///
/// ```no_run
/// # async fn demo(client: wdt_client::Client) -> Result<(), wdt_client::Error> {
/// use wdt_client::ReadAll;
/// use wdt_client::methods::reads::settings::WarehouseQuery;
///
/// let mut all = ReadAll::new(&client, WarehouseQuery::default(), 100);
/// while let Some(row) = all.next().await {
///     println!("{}", row?.warehouse_no);
/// }
/// # Ok(()) }
/// ```
pub struct ReadAll<'c, P: ReadParams> {
    client: &'c Client,
    params: P,
    /// The windows still to read; `None` reads the parameters as they are.
    windows: VecDeque<Option<(i64, i64)>>,
    current: Option<Option<(i64, i64)>>,
    page_no: u32,
    page_size: u32,
    buffer: VecDeque<<P::Page as PageRows>::Row>,
    known_total: u64,
}

/// Every return stock-in of a range (`wms.stockin.Refund.queryWithDetail`), 30 days at a time.
pub type StockinExport<'c> = ReadAll<'c, RefundStockinQuery>;

impl<'c, P: ReadParams> ReadAll<'c, P> {
    /// Every row `params` selects, as they are (their own window, if any, stands).
    pub fn new(client: &'c Client, params: P, page_size: u32) -> Self {
        Self::with_windows(client, params, vec![None], page_size)
    }

    /// Every row of `[start, end]` (epoch seconds, closed) that `params` selects otherwise: the
    /// range is split into the windows the method accepts ([`ReadParams::WINDOW`]). Refused with
    /// [`Error::Malformed`] for a method without a window.
    pub fn over(client: &'c Client, params: P, start: i64, end: i64, page_size: u32) -> Result<Self, Error> {
        let longest = match P::WINDOW {
            Some(Some(days)) => window_secs(days),
            Some(None) => i64::MAX,
            None => return Err(Error::Malformed(format!("{} reads no time window", P::METHOD))),
        };
        let windows = split_windows_of(start, end, longest).into_iter().map(Some).collect();
        Ok(Self::with_windows(client, params, windows, page_size))
    }

    fn with_windows(client: &'c Client, params: P, windows: Vec<Option<(i64, i64)>>, page_size: u32) -> Self {
        ReadAll {
            client,
            params,
            windows: windows.into(),
            current: None,
            page_no: 0,
            page_size: page_size.max(1),
            buffer: VecDeque::new(),
            known_total: 0,
        }
    }

    /// Rows counted so far by the server for the windows started (grows as windows begin).
    pub fn known_total(&self) -> u64 {
        self.known_total
    }

    async fn fetch(&mut self) -> Result<bool, Error> {
        loop {
            if self.current.is_none() {
                let Some(window) = self.windows.pop_front() else { return Ok(false) };
                self.current = Some(window);
                self.page_no = 0;
                if let Some((start, end)) = window {
                    self.params.set_window(format_wire_time(start * 1000), format_wire_time(end * 1000));
                }
            }
            let pager = Pager { page_size: self.page_size, page_no: self.page_no, calc_total: self.page_no == 0 };
            let page = self.client.send_qjb(&Paged { params: &self.params, pager }).await?;
            if let Some(total) = page.total_count() {
                self.known_total += u64::try_from(total).unwrap_or(0);
            }
            let rows = page.into_rows();
            let full = rows.len() as u32 >= self.page_size;
            self.buffer.extend(rows);
            if full {
                self.page_no += 1;
            } else {
                self.current = None;
            }
            if !self.buffer.is_empty() {
                return Ok(true);
            }
        }
    }

    /// The next row, `None` after the last.
    pub async fn next(&mut self) -> Option<Result<<P::Page as PageRows>::Row, Error>> {
        if self.buffer.is_empty() {
            match self.fetch().await {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    self.windows.clear();
                    self.current = None;
                    return Some(Err(e));
                }
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_range_without_gap_or_overlap() {
        let start = 1_700_000_000;
        for len in [0, 1, MAX_WINDOW_SECS - 1, MAX_WINDOW_SECS, MAX_WINDOW_SECS + 1, 90 * 86_400 - 1, 365 * 86_400] {
            let end = start + len;
            let w = split_windows(start, end);
            assert_eq!(w.first().unwrap().0, start);
            assert_eq!(w.last().unwrap().1, end);
            for pair in w.windows(2) {
                assert_eq!(pair[1].0, pair[0].1 + 1, "seam");
            }
            assert!(w.iter().all(|(a, b)| b >= a && b - a <= MAX_WINDOW_SECS));
        }
        assert_eq!(split_windows(start, 90 * 86_400 - 1 + start).len(), 3, "90 days are three 30-day windows");
        assert!(split_windows(10, 9).is_empty());
        assert_eq!(split_windows_of(0, i64::MAX - 1, i64::MAX), vec![(0, i64::MAX - 1)], "an unbounded window is one");
        assert_eq!(split_windows_of(0, 10 * 86_400, window_secs(7)).len(), 2);
    }
}
