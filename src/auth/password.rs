//! Password hashing with argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1).
//!
//! Hashing takes tens of milliseconds of CPU, so it runs on tokio's blocking pool and never
//! stalls the request workers; and at most [`MAX_CONCURRENT_HASHES`] run at once, so that a
//! flood of logins queues behind a small semaphore instead of taking every core (and the
//! blocking pool) from the rest of the traffic. An unknown email is checked against a dummy hash so that it
//! takes as long as a wrong password and an attacker cannot probe for accounts.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};

use crate::error::ServiceError;

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Bounds the work an attacker can make argon2 do with one request.
pub const MAX_PASSWORD_CHARS: usize = 256;

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn hasher() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| ServiceError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The policy, as a message for the user when it is not met.
pub fn check_policy(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!(
            "The password must have at least {MIN_PASSWORD_CHARS} characters."
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!(
            "The password must have at most {MAX_PASSWORD_CHARS} characters."
        ));
    }
    Ok(())
}

pub fn hash_blocking(password: &str) -> Result<String, ServiceError> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("argon2 hash: {e}")))
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    hasher()
        .map(|h| h.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("dummy password that no account has").unwrap_or_default())
}

/// Hashes that may run at once: one core's worth each, leaving the rest of a small
/// machine to other requests.
pub const MAX_CONCURRENT_HASHES: usize = 2;

static HASHING: Semaphore = Semaphore::const_new(MAX_CONCURRENT_HASHES);
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Hashing requests waiting for a permit (the argon2 queue length, for metrics).
pub fn queue_length() -> usize {
    WAITING.load(Ordering::Relaxed)
}

/// Runs `work` on the blocking pool once one of the [`MAX_CONCURRENT_HASHES`] permits is
/// free. `None` when the task could not run.
async fn limited<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    WAITING.fetch_add(1, Ordering::Relaxed);
    let permit = HASHING.acquire().await;
    WAITING.fetch_sub(1, Ordering::Relaxed);
    let _permit = permit.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// Hashes on the blocking pool, behind the semaphore.
pub async fn hash(password: String) -> Result<String, ServiceError> {
    limited(move || hash_blocking(&password))
        .await
        .ok_or_else(|| ServiceError::Internal("hash task failed".into()))?
}

/// Verifies on the blocking pool, behind the semaphore; `None` (no such account) checks a
/// dummy hash and fails.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    limited(move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Prepares the dummy hash at start so the first unknown-email login is not faster.
pub fn warm_up() {
    let _ = dummy_hash();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_requires_twelve_to_256_characters() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("exactly12chr").is_ok());
        assert!(check_policy(&"x".repeat(257)).is_err());
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash_blocking("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("anything", "not a phc string"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_than_two_hashes_run_at_once_and_the_rest_queue() {
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (running, peak) = (Arc::clone(&running), Arc::clone(&peak));
                tokio::spawn(limited(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        let mut queued = 0;
        for _ in 0..20 {
            queued = queued.max(queue_length());
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        for t in tasks {
            assert_eq!(t.await.expect("task"), Some(()));
        }
        // Other tests may hold a permit meanwhile, so the peak may stay below the limit.
        let peak = peak.load(Ordering::SeqCst);
        assert!(
            (1..=MAX_CONCURRENT_HASHES).contains(&peak),
            "{peak} ran at once"
        );
        assert!(queued > 0, "the others waited in the queue");
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify("dummy password that no account has".into(), None).await);
    }
}
