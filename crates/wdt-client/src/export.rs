//! Reading every return stock-in of a time range: split into windows the server accepts, page
//! through each, yield the rows in order.

use std::collections::VecDeque;

use serde_json::{Map, Value};
use wdt_protocol::methods::REFUND_STOCKIN_QUERY;
use wdt_protocol::methods::refund_stockin_query::{QueryPage, StockinOrderRow};
use wdt_protocol::qjb::Pager;
use wdt_protocol::time::format_wire_time;

use crate::{Client, Error};

/// The longest window one query may cover, in seconds: 30 days less one second, so the window
/// passes both a 30-day and a 30-calendar-day check.
pub const MAX_WINDOW_SECS: i64 = 30 * 86_400 - 1;

/// Splits the closed range `[start, end]` (epoch seconds) into closed windows of at most
/// [`MAX_WINDOW_SECS`]: each starts one second after the previous ends, so no second is missed or
/// read twice.
pub fn split_windows(start: i64, end: i64) -> Vec<(i64, i64)> {
    let mut windows = Vec::new();
    let mut from = start;
    while from <= end {
        let to = (from + MAX_WINDOW_SECS).min(end);
        windows.push((from, to));
        from = to + 1;
    }
    windows
}

/// A reader of every return stock-in of a range, page by page, window by window.
pub struct StockinExport<'c> {
    client: &'c Client,
    filters: Map<String, Value>,
    windows: VecDeque<(i64, i64)>,
    current: Option<(i64, i64)>,
    page_no: u32,
    page_size: u32,
    buffer: VecDeque<StockinOrderRow>,
    known_total: u64,
}

impl<'c> StockinExport<'c> {
    /// Rows of `[start, end]` (epoch seconds, closed) matching `filters` (the query's business
    /// parameters other than the times, e.g. `warehouse_no`, `status`).
    pub fn new(client: &'c Client, start: i64, end: i64, filters: Map<String, Value>, page_size: u32) -> Self {
        StockinExport {
            client,
            filters,
            windows: split_windows(start, end).into(),
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
            let (start, end) = match self.current {
                Some(w) => w,
                None => match self.windows.pop_front() {
                    Some(w) => {
                        self.current = Some(w);
                        self.page_no = 0;
                        w
                    }
                    None => return Ok(false),
                },
            };
            let mut params = self.filters.clone();
            params.insert("start_time".into(), Value::from(format_wire_time(start * 1000)));
            params.insert("end_time".into(), Value::from(format_wire_time(end * 1000)));
            let pager = Pager { page_size: self.page_size, page_no: self.page_no, calc_total: self.page_no == 0 };
            let data = self
                .client
                .call_paged(REFUND_STOCKIN_QUERY, &pager, &Value::Array(vec![Value::Object(params)]))
                .await?;
            let page: QueryPage = serde_json::from_value(data)
                .map_err(|e| Error::Malformed(format!("{REFUND_STOCKIN_QUERY} page: {e}")))?;
            if let Some(total) = page.total_count {
                self.known_total += u64::try_from(total).unwrap_or(0);
            }
            let full = page.order.len() as u32 >= self.page_size;
            self.buffer.extend(page.order);
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
    pub async fn next(&mut self) -> Option<Result<StockinOrderRow, Error>> {
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
    }
}
