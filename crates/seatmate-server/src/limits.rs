//! Limits that keep one caller from stalling everyone: login throttling per account and per
//! client address, and a gate in front of heavy CPU work (password hashing, classification,
//! encoding) that queues a bounded number of requests and answers the rest with 429.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, ErrorCode};

/// How far back failed logins count.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed logins of one account within the window before it is locked for the rest of it.
pub const ACCOUNT_FAILURES: usize = 5;
/// Failed logins from one client address within the window (several people may share one).
pub const ADDRESS_FAILURES: usize = 30;
/// Requests that may wait for the CPU gate before more are turned away.
const MAX_WAITING: usize = 64;
/// Entries kept before old ones are swept.
const SWEEP_ABOVE: usize = 10_000;

/// Both limits, shared by every request.
pub struct Limits {
    pub logins: LoginThrottle,
    pub cpu: CpuGate,
}

impl Limits {
    /// Heavy work gets every core but one, so there is always a core for light requests.
    pub fn for_this_machine() -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits { logins: LoginThrottle::default(), cpu: CpuGate::new(cores.saturating_sub(1).max(1), MAX_WAITING) }
    }
}

/// Failed logins per account and per client address, in memory (per server process).
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    /// Refuses, before any password is checked, an account or address that failed too often.
    pub fn check(&self, account: &str, address: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, limit, whom) in
            [(account_key(account), ACCOUNT_FAILURES, "this account"), (address_key(address), ADDRESS_FAILURES, "your address")]
        {
            let recent: Vec<Instant> = failures
                .get(&key)
                .map(|times| times.iter().copied().filter(|t| now - *t < LOGIN_WINDOW).collect())
                .unwrap_or_default();
            if recent.len() >= limit {
                let wait = LOGIN_WINDOW.saturating_sub(now - recent[recent.len() - limit]);
                let minutes = wait.as_secs().div_ceil(60).max(1);
                let message = format!("too many failed logins for {whom}; try again in {minutes} minute(s) or ask an admin");
                return Err(ApiError::new(ErrorCode::TooManyAttempts, message).retry_after(wait.as_secs()));
            }
        }
        Ok(())
    }

    pub fn failed(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| times.iter().any(|t| now - *t < LOGIN_WINDOW));
        }
        for key in [account_key(account), address_key(address)] {
            let times = failures.entry(key).or_default();
            times.retain(|t| now - *t < LOGIN_WINDOW);
            times.push(now);
        }
    }

    /// A right password clears the account's failures (not the address's).
    pub fn succeeded(&self, account: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&account_key(account));
    }
}

fn account_key(account: &str) -> String {
    format!("u:{}", seatmate_core::username_key(account))
}

fn address_key(address: &str) -> String {
    format!("a:{address}")
}

/// Admission to heavy CPU work: `workers` run at once, up to `max_waiting` queue in order, the
/// rest are told to come back (429 `busy`). The work itself runs on blocking threads.
pub struct CpuGate {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

/// A place in the gate; dropping it lets the next request in.
pub struct CpuTurn {
    _permit: OwnedSemaphorePermit,
}

impl CpuGate {
    pub fn new(workers: usize, max_waiting: usize) -> CpuGate {
        CpuGate { permits: Arc::new(Semaphore::new(workers.max(1))), waiting: Arc::new(AtomicUsize::new(0)), max_waiting }
    }

    /// Waits for a turn, or refuses at once when the queue is full.
    pub async fn admit(&self) -> Result<CpuTurn, ApiError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(CpuTurn { _permit: permit });
        }
        let queued = Queued::join(&self.waiting);
        if queued.position > self.max_waiting {
            metrics::counter!("seatmate_cpu_gate_refused_total").increment(1);
            return Err(
                ApiError::new(ErrorCode::Busy, "the server is busy with heavy work; try again in a moment").retry_after(1)
            );
        }
        let permit = self.permits.clone().acquire_owned().await.map_err(ApiError::internal)?;
        Ok(CpuTurn { _permit: permit })
    }

    /// Requests waiting now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

/// One waiting request; leaves the count when done or when the request is dropped.
struct Queued {
    waiting: Arc<AtomicUsize>,
    position: usize,
}

impl Queued {
    fn join(waiting: &Arc<AtomicUsize>) -> Queued {
        let position = waiting.fetch_add(1, Ordering::SeqCst) + 1;
        Queued { waiting: waiting.clone(), position }
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_locked_after_repeated_failures_by_any_spelling() {
        let throttle = LoginThrottle::default();
        for _ in 0..ACCOUNT_FAILURES {
            assert!(throttle.check("alice", "10.0.0.1").is_ok());
            throttle.failed("Alice", "10.0.0.1");
        }
        let refused = throttle.check("ＡＬＩＣＥ", "10.0.0.2").unwrap_err();
        assert_eq!(refused.code, ErrorCode::TooManyAttempts);
        assert!(refused.retry_after.is_some_and(|s| s > 0 && s <= LOGIN_WINDOW.as_secs()));
        assert!(throttle.check("bob", "10.0.0.2").is_ok());
    }

    #[test]
    fn an_address_is_refused_after_failures_on_many_accounts() {
        let throttle = LoginThrottle::default();
        for i in 0..ADDRESS_FAILURES {
            throttle.failed(&format!("user{i}"), "10.0.0.9");
        }
        assert_eq!(throttle.check("newuser", "10.0.0.9").unwrap_err().code, ErrorCode::TooManyAttempts);
        assert!(throttle.check("newuser", "10.0.0.10").is_ok());
    }

    #[tokio::test]
    async fn the_gate_queues_then_refuses_and_forgets_dropped_waiters() {
        let gate = Arc::new(CpuGate::new(1, 2));
        let held = gate.admit().await.unwrap();
        let first = tokio::spawn({
            let gate = gate.clone();
            async move { gate.admit().await.map(|_| ()) }
        });
        let second = tokio::spawn({
            let gate = gate.clone();
            async move { gate.admit().await.map(|_| ()) }
        });
        while gate.waiting() < 2 {
            tokio::task::yield_now().await;
        }
        let refused = gate.admit().await.err().unwrap();
        assert_eq!(refused.code, ErrorCode::Busy);
        assert_eq!(refused.retry_after, Some(1));
        second.abort();
        let _ = second.await;
        assert_eq!(gate.waiting(), 1);
        drop(held);
        assert!(first.await.unwrap().is_ok());
        assert_eq!(gate.waiting(), 0);
    }
}
