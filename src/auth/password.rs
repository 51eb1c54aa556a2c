//! Password hashing with argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1).
//!
//! Hashing takes tens of milliseconds of CPU, so it runs on tokio's blocking pool and never
//! stalls the request workers; and at most [`MAX_CONCURRENT_HASHES`] run at once, so that a
//! flood of logins queues behind a small semaphore instead of taking every core (and the
//! blocking pool) from the rest of the traffic. An unknown email is checked against a dummy hash so that it
//! takes as long as a wrong password and an attacker cannot probe for accounts.
//!
//! Each hash needs 19 MiB of working memory, at most [`MAX_CONCURRENT_HASHES`] of them at
//! once. It is allocated for the hash, cleared and freed after it, not kept: the server's
//! allocator (mimalloc, `src/main.rs`) gives freed memory back to the system about a second
//! later, so logins leave nothing in the resident set. A pool of two buffers, which glibc's
//! malloc needed (it kept every freed buffer in the arena of the thread that hashed: a
//! handful of logins took the server from 22 to 178 MiB), held 38 MiB for good.
//!
//! Every hash computed is counted ([`hashes_computed`], `isu_password_hashes_total` in
//! `/metrics`): the figure that shows the login throttle holding, since an attempt refused
//! by the throttle is never hashed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{
        PasswordVerifier,
        phc::{Output, ParamsString, PasswordHash, Salt},
        try_generate_salt,
    },
};

use crate::kernel::error::ServiceError;

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

/// Least strength a new password must have: zxcvbn's "safely unguessable" (about 10^10
/// guesses), which refuses the common passwords of its bundled lists (30,000 leaked
/// passwords, with their l33t and reversed forms), words, names, keyboard walks, dates and
/// the account's own email.
pub const MIN_STRENGTH: zxcvbn::Score = zxcvbn::Score::Three;

/// The policy for a new password, as a message for the user when it is not met. `related`
/// are words the account is known by (its email), which a password must not lean on.
pub fn check_policy(password: &str, related: &[&str]) -> Result<(), String> {
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
    // zxcvbn reads at most the first 100 characters, so this stays cheap.
    let estimate = zxcvbn::zxcvbn(password, related);
    if estimate.score() < MIN_STRENGTH {
        let why = estimate
            .feedback()
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(format!(
            "This password is too easy to guess{why}: use a longer phrase of uncommon words."
        ));
    }
    Ok(())
}

/// Runs `work` with fresh working memory, cleared before it is freed: nothing derived from
/// a password stays in memory after the hash.
fn with_memory<T>(work: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut blocks = vec![Block::new(); MEMORY_KIB as usize];
    let out = work(&mut blocks);
    blocks.fill(Block::new());
    // The clearing is not a dead store to drop before the free.
    std::hint::black_box(&mut blocks);
    out
}

/// Length of the hash output, argon2's default.
const OUTPUT_LEN: usize = Params::DEFAULT_OUTPUT_LEN;

/// Hashes computed since the process started.
static HASHED: AtomicU64 = AtomicU64::new(0);

/// The argon2id hashes this process has computed: one per new password, per login or
/// current-password check that passed the throttle (an unknown email's included: it checks
/// the dummy hash), and the dummy hash made at start. Process-wide, like the semaphore and
/// the memory pool: every server in the process shares them.
pub fn hashes_computed() -> u64 {
    HASHED.load(Ordering::Relaxed)
}

pub fn hash_blocking(password: &str) -> Result<String, ServiceError> {
    let internal = |what: &str, e: &dyn std::fmt::Display| {
        ServiceError::Internal(format!("argon2 {what}: {e}"))
    };
    let hasher = hasher()?;
    let salt = try_generate_salt().map_err(|e| internal("salt", &e))?;
    let mut out = [0u8; OUTPUT_LEN];
    HASHED.fetch_add(1, Ordering::Relaxed);
    with_memory(|blocks| {
        hasher.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, blocks)
    })
    .map_err(|e| internal("hash", &e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(hasher.params()).map_err(|e| internal("params", &e))?,
        salt: Some(Salt::new(&salt).map_err(|e| internal("salt", &e))?),
        hash: Some(Output::new(&out).map_err(|e| internal("output", &e))?),
    };
    Ok(phc.to_string())
}

/// True when `phc` was made with this module's algorithm and parameters, so that its
/// working memory is [`MEMORY_KIB`].
fn is_ours(phc: &PasswordHash) -> bool {
    phc.algorithm == Algorithm::Argon2id.ident()
        && phc.version == Some(Version::V0x13.into())
        && Params::try_from(phc).is_ok_and(|p| {
            p.m_cost() == MEMORY_KIB && p.t_cost() == ITERATIONS && p.p_cost() == PARALLELISM
        })
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(hasher) = hasher() else {
        return false;
    };
    HASHED.fetch_add(1, Ordering::Relaxed);
    if !is_ours(&parsed) || expected.len() != OUTPUT_LEN {
        // Other parameters (none are made today): argon2's own path, with its own memory.
        return hasher.verify_password(password.as_bytes(), &parsed).is_ok();
    }
    let mut out = [0u8; OUTPUT_LEN];
    with_memory(|blocks| {
        hasher.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
    })
    .is_ok()
        // `Output`'s comparison takes constant time.
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
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
        assert!(check_policy("short", &[]).is_err());
        assert!(check_policy("vq7-lomb-zek", &[]).is_ok());
        assert!(check_policy(&"x".repeat(257), &[]).is_err());
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in [
            "password1234",
            "123456789012",
            "qwertyuiop123",
            "iloveyou2024",
            "Password123!",
            "aaaaaaaaaaaaaaaa",
        ] {
            let refused = check_policy(weak, &[]).expect_err(weak);
            assert!(refused.contains("too easy to guess"), "{weak}: {refused}");
        }
        // The account's own email is no secret.
        assert!(check_policy("jane.doe@example.org", &["jane.doe@example.org"]).is_err());
        // The passwords the tests and the demo use stay acceptable.
        for strong in [
            "admin-password-123",
            "delegate-password-456",
            "correct horse battery",
            "a brand new password",
            "another-password-789",
        ] {
            assert_eq!(check_policy(strong, &[]), Ok(()), "{strong}");
        }
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash_blocking("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("correct horse battery", &h));
        assert!(!verify_blocking("wrong horse battery", &h));
        assert!(!verify_blocking("anything", "not a phc string"));
    }

    #[test]
    fn hashes_in_our_memory_agree_with_argon2s_own() {
        use argon2::password_hash::PasswordHasher;
        // argon2's own hash verifies through our memory, and ours through argon2.
        let theirs = hasher()
            .expect("hasher")
            .hash_password(b"correct horse battery")
            .expect("hash")
            .to_string();
        assert!(verify_blocking("correct horse battery", &theirs));
        assert!(!verify_blocking("correct horse batterx", &theirs));
        let ours = hash_blocking("correct horse battery").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(
            hasher()
                .expect("hasher")
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        // Salts differ from hash to hash.
        assert_ne!(ours, hash_blocking("correct horse battery").expect("hash"));
        // Other parameters go through argon2's own path.
        let params = Params::new(8 * 1024, 1, 1, None).expect("params");
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery")
            .expect("hash")
            .to_string();
        assert!(
            other.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"),
            "{other}"
        );
        assert!(verify_blocking("correct horse battery", &other));
        assert!(!verify_blocking("wrong horse battery", &other));
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
