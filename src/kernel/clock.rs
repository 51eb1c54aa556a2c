//! "Today" for treaty date computations.
//!
//! Deadlines depend on the date, so demonstrations, training sessions and tests pin it with
//! `ISU_TODAY`. Tokens and timestamps always follow the wall clock.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    pinned_today: Option<NaiveDate>,
}

impl Clock {
    pub fn new(pinned_today: Option<NaiveDate>) -> Self {
        Self { pinned_today }
    }

    /// The date T of docs/domain.md §3.
    pub fn today(&self) -> NaiveDate {
        self.pinned_today.unwrap_or_else(|| Utc::now().date_naive())
    }

    /// The instant of a treaty act (a report's submission): the wall clock, moved to the
    /// pinned day when "today" is pinned, so a simulated day's submissions fall on it.
    pub fn treaty_now(&self) -> DateTime<Utc> {
        let t = now();
        match self.pinned_today {
            Some(day) => day.and_time(t.time()).and_utc(),
            None => t,
        }
    }
}

/// The wall-clock instant, truncated to microseconds so that values read back from
/// PostgreSQL (microsecond precision) equal the values written.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_today_wins_over_the_wall_clock() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 30);
        assert_eq!(Clock::new(d).today(), d.unwrap_or_default());
    }

    #[test]
    fn treaty_acts_fall_on_the_pinned_day() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
        assert_eq!(Clock::new(Some(d)).treaty_now().date_naive(), d);
        assert_eq!(
            Clock::new(None).treaty_now().date_naive(),
            Utc::now().date_naive()
        );
    }

    #[test]
    fn now_has_microsecond_precision() {
        assert_eq!(now().timestamp_subsec_nanos() % 1000, 0);
    }
}
