//! Access tokens and scopes: which user a bearer token acts as, and whether it may call an
//! operation. The scopes each operation needs come from the spec's `x-required-scopes`.

use std::fmt;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use adultwork::Operation;

use super::data::TokenGrant;

/// Why a request is not authorised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header, or not a bearer one (401).
    Missing,
    /// A bearer token no grant knows (401).
    Unknown,
    /// A valid token without a scope the operation needs (403).
    MissingScope {
        /// The operation.
        operation: Operation,
        /// The scope it needs.
        scope: &'static str,
    },
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str(
                "Authorization has been denied for this request: send the header `Authorization: bearer {access-token}`.",
            ),
            Self::Unknown => {
                f.write_str("Authorization has been denied for this request: the access token is not valid.")
            }
            Self::MissingScope { operation, scope } => write!(
                f,
                "The access token lacks the scope {scope}, which {operation} requires."
            ),
        }
    }
}

/// The token of an `Authorization: bearer {token}` header value (the scheme is
/// case-insensitive), or `None` when the value is not a bearer credential.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim_start();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// The grant `token` belongs to. Every grant is compared in constant time and none is
/// skipped, so response timing does not tell how much of a guess was right.
pub fn find_grant<'a>(grants: &'a [TokenGrant], token: &str) -> Option<&'a TokenGrant> {
    let mut found = Choice::from(0);
    let mut index = 0u32;
    for (i, grant) in grants.iter().enumerate() {
        let eq = grant.token.as_bytes().ct_eq(token.as_bytes());
        index = u32::conditional_select(&index, &(i as u32), eq);
        found |= eq;
    }
    bool::from(found).then(|| &grants[index as usize])
}

/// Authorises a call of `operation` with the `Authorization` header value `header`: the
/// grant of a known token that carries every scope the operation requires.
pub fn authorize<'a>(
    grants: &'a [TokenGrant],
    header: Option<&str>,
    operation: Operation,
) -> Result<&'a TokenGrant, AuthError> {
    let token = header.and_then(bearer_token).ok_or(AuthError::Missing)?;
    let grant = find_grant(grants, token).ok_or(AuthError::Unknown)?;
    for scope in operation.scopes() {
        if !grant.scopes.iter().any(|s| s == scope) {
            return Err(AuthError::MissingScope { operation, scope });
        }
    }
    Ok(grant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::data::SandboxData;

    fn grants() -> Vec<TokenGrant> {
        SandboxData::default().tokens
    }

    #[test]
    fn scopes_come_from_the_spec() {
        for op in Operation::ALL {
            let expected = if op.id().contains("phone_chat") {
                "account_phonechat_bookings"
            } else {
                "account_webcam_bookings"
            };
            assert_eq!(op.scopes(), [expected], "{op}");
        }
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("Bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("BEARER abc"), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("bearer"), None);
        assert_eq!(bearer_token("bearer a b"), None);
    }

    #[test]
    fn tokens_map_to_users_and_scopes() {
        let g = grants();
        let client = authorize(
            &g,
            Some("bearer sandbox-client-token"),
            Operation::CreateWebcamBooking,
        )
        .unwrap();
        assert_eq!(client.user_id, 100001);
        assert_eq!(
            authorize(&g, None, Operation::CreateWebcamBooking),
            Err(AuthError::Missing)
        );
        assert_eq!(
            authorize(
                &g,
                Some("bearer sandbox-client-tokeN"),
                Operation::CreateWebcamBooking
            ),
            Err(AuthError::Unknown)
        );
        assert_eq!(
            authorize(
                &g,
                Some("bearer sandbox-client"),
                Operation::CreateWebcamBooking
            ),
            Err(AuthError::Unknown)
        );
        assert!(matches!(
            authorize(
                &g,
                Some("bearer sandbox-noscope-token"),
                Operation::CreateWebcamBooking
            ),
            Err(AuthError::MissingScope {
                scope: "account_webcam_bookings",
                ..
            })
        ));
        assert!(
            authorize(
                &g,
                Some("bearer sandbox-webcam-only-token"),
                Operation::CancelMadeWebcamBooking
            )
            .is_ok()
        );
        assert!(matches!(
            authorize(
                &g,
                Some("bearer sandbox-webcam-only-token"),
                Operation::CreatePhoneChatBooking
            ),
            Err(AuthError::MissingScope {
                scope: "account_phonechat_bookings",
                ..
            })
        ));
    }
}
