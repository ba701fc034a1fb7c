//! Redaction: what keeps the access token out of everything the CLI writes to stderr.

/// `text` with every occurrence of the token replaced by `***`. The SDK never puts the token
/// in an error, but the API's message is printed as sent, and a server or proxy that echoes
/// the request's headers back must not get the token onto the user's terminal or CI log.
pub(crate) fn redact(text: &str, token: Option<&str>) -> String {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => text.replace(t, "***"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_every_copy_of_the_token() {
        assert_eq!(
            redact("bearer abc123; again abc123", Some("abc123")),
            "bearer ***; again ***"
        );
        assert_eq!(redact("nothing here", Some("abc123")), "nothing here");
        assert_eq!(redact("no token given", None), "no token given");
        assert_eq!(redact("blank token", Some(" ")), "blank token");
    }
}
