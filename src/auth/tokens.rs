//! Opaque random secrets: refresh tokens and generated passwords.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::kernel::error::ServiceError;

/// `n` random bytes from the operating system, base64url-encoded.
pub fn random_secret(n: usize) -> Result<String, ServiceError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| ServiceError::Internal(format!("getrandom: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// A new refresh token: 256 bits of randomness.
pub fn new_refresh_token() -> Result<String, ServiceError> {
    random_secret(32)
}

/// What is stored for a refresh token. A fast hash is right here: the token has 256 bits of
/// entropy, so there is nothing to brute-force, and lookups must be by exact digest.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_unique_and_digests_stable() {
        let a = new_refresh_token().expect("token");
        let b = new_refresh_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), digest(&b));
    }
}
