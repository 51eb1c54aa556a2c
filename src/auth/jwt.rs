//! Access tokens: HS256 JWTs valid 15 minutes.
//!
//! jsonwebtoken's defaults are loose (60 s leeway, `nbf` not checked); every check is set
//! explicitly here, and the algorithm is pinned so a token cannot choose its own.

use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

pub const ISSUER: &str = "ccm-isu";
pub const AUDIENCE: &str = "ccm-isu-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user's ID.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    /// The role when the token was issued; the server re-reads the user on every request.
    pub role: String,
    /// The session (refresh token family): logging out ends its access tokens at once.
    pub sid: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Keyed with the same secret: derives a refresh token's successor from the token
    /// itself, so that a second tab refreshing with the same token within the grace window
    /// gets the same successor without the server storing any token it could replay.
    successor: Hmac<Sha256>,
}

impl fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtKeys([REDACTED])")
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        // HMAC takes keys of any length; the configuration demands at least 32 bytes.
        let successor = <Hmac<Sha256> as Mac>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            successor,
        }
    }

    /// The refresh token that rotating `presented` issues: HMAC-SHA256 of it under the
    /// server's secret, base64url (43 characters, as random tokens). Only a holder of
    /// `presented` and the secret can compute it; the database keeps its digest only.
    pub fn successor_of(&self, presented: &str) -> String {
        let mut mac = self.successor.clone();
        mac.update(b"ccm-isu refresh successor\0");
        mac.update(presented.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Signs an access token; returns it with its expiry. The same arguments give the same
    /// token (HS256 is deterministic and times are whole seconds), which is how a refresh
    /// replayed within the grace window answers the same pair.
    pub fn issue(
        &self,
        user_id: Uuid,
        role: &str,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        // Every credential is issued here: the response that carries it must never be
        // stored for an idempotent replay.
        crate::kernel::idempotency::mark_secret();
        let now = now.trunc_subsecs(0);
        let expires_at = now + ACCESS_TOKEN_TTL;
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.to_string(),
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            role: role.into(),
            sid: session_id.to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, expires_at))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn successors_are_fixed_by_the_token_and_the_secret() {
        let a = keys().successor_of("token-a");
        assert_eq!(a, keys().successor_of("token-a"));
        assert_eq!(a.len(), 43);
        assert_ne!(a, keys().successor_of("token-b"));
        let other = JwtKeys::new(b"another-secret-of-at-least-32-bytes!!");
        assert_ne!(a, other.successor_of("token-a"));
    }

    #[test]
    fn the_same_claims_sign_the_same_token_within_a_second() {
        let at = DateTime::from_timestamp(1_800_000_000, 250_000_000).expect("instant");
        let later = DateTime::from_timestamp(1_800_000_000, 900_000_000).expect("instant");
        let (a, exp_a) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), at)
            .expect("issue");
        let (b, exp_b) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), later)
            .expect("issue");
        assert_eq!((a, exp_a), (b, exp_b));
    }

    #[test]
    fn a_fresh_token_verifies() {
        let (t, _) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), Utc::now())
            .expect("issue");
        let c = keys().verify(&t).expect("verify");
        assert_eq!(c.role, "ISU_ADMIN");
    }

    #[test]
    fn expired_tokens_are_refused_without_leeway() {
        let issued = Utc::now() - ACCESS_TOKEN_TTL - Duration::seconds(2);
        let (t, _) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), issued)
            .expect("issue");
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn tokens_not_yet_valid_are_refused() {
        let issued = Utc::now() + Duration::seconds(30);
        let (t, _) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), issued)
            .expect("issue");
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn other_secrets_and_alg_none_are_refused() {
        let (t, _) = JwtKeys::new(b"another secret another secret 123")
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), Utc::now())
            .expect("issue");
        assert!(keys().verify(&t).is_err());

        let (good, _) = keys()
            .issue(Uuid::nil(), "ISU_ADMIN", Uuid::nil(), Utc::now())
            .expect("issue");
        let payload = good.split('.').nth(1).expect("payload");
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{none_header}.{payload}.")).is_err());
    }
}
