//! The seed data: users, access tokens and groups, read from a JSON file.
//!
//! The default data (`data/default.json`, embedded in the crate) sets up the users the docs'
//! samples name; [`SandboxData::from_file`] replaces it. The format is described in the
//! crate's README.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use adultwork::{Credits, PhoneChatMethod, SoftwareType};
use serde::{Deserialize, Deserializer};

use super::behaviour::Behaviour;

/// The default data file, embedded at build time.
pub const DEFAULT_DATA_JSON: &str = include_str!("../../data/default.json");

/// Everything the sandbox starts from: who exists, what they offer, who holds which token.
/// Bookings are not part of it; they start empty.
///
/// ```
/// use adultwork_sandbox::SandboxData;
///
/// let data = SandboxData::default();
/// assert_eq!(data.user(123456).unwrap().nickname, "JosepheneBlogs");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SandboxData {
    /// Every user: clients, performers, group managers.
    pub users: Vec<User>,
    /// Access tokens, each acting as one user with some scopes.
    #[serde(default)]
    pub tokens: Vec<TokenGrant>,
    /// Groups, each with a manager who may act as its members.
    #[serde(default)]
    pub groups: Vec<Group>,
}

/// One user of the sandbox.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct User {
    /// The user's ID (positive).
    #[serde(rename = "UserID")]
    pub user_id: i64,
    /// The nickname shown in bookings.
    pub nickname: String,
    /// Credits the user has to spend as a client (default 0).
    #[serde(default)]
    pub credit_balance: Credits,
    /// Whether the user's mobile number is verified (needed for `SendSMSOnAccept`).
    #[serde(default)]
    pub mobile_verified: bool,
    /// Feedback totals shown with the user (default all 0).
    #[serde(default)]
    pub feedback: Feedback,
    /// How the user does webcam sessions; absent when they are not set up for them.
    #[serde(default)]
    pub webcam: Option<WebcamProfile>,
    /// How the user does phone chat; absent when they do not provide it.
    #[serde(default)]
    pub phone_chat: Option<PhoneChatProfile>,
    /// What the user does by themselves with each booking made with them; absent: nothing
    /// (only the control endpoints answer for them).
    #[serde(default)]
    pub behaviour: Option<Behaviour>,
}

/// A user's feedback totals (the profile members of the docs' performer and candidate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Feedback {
    /// The feedback score.
    #[serde(default)]
    pub total: i32,
    /// Positive feedback received.
    #[serde(default)]
    pub positive: i32,
    /// Neutral feedback received.
    #[serde(default)]
    pub neutral: i32,
    /// Negative feedback received.
    #[serde(default)]
    pub negative: i32,
    /// Ratings received.
    #[serde(default)]
    pub ratings: i32,
    /// Disputes raised.
    #[serde(default)]
    pub disputes: i32,
}

/// A performer's webcam set-up.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct WebcamProfile {
    /// The messengers they use: names (`"skype"`, `"yahoo"`, `"msn"`) or codes (3, 2, 1).
    #[serde(deserialize_with = "names_or_codes")]
    pub software: Vec<SoftwareType>,
    /// Their sign-in name, shown to the client once a booking is accepted.
    #[serde(default)]
    pub sign_in_name_or_email: Option<String>,
}

/// A candidate's phone-chat set-up.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct PhoneChatProfile {
    /// The methods they accept: names (`"call-me"`, `"i-call"`, `"skype"`) or codes (1, 2, 3).
    #[serde(deserialize_with = "names_or_codes")]
    pub methods: Vec<PhoneChatMethod>,
    /// Their price per minute; `Credits` must be at least this × `Duration`. Absent: no price.
    #[serde(default)]
    pub price_per_minute: Option<Credits>,
    /// The DirectChat Only option: such users cannot be booked for phone chat.
    #[serde(default)]
    pub direct_chat_only: bool,
    /// Their number, shown to the client once a method-2 booking is accepted.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Their Skype name, shown to the client once a method-3 booking is accepted.
    #[serde(default)]
    pub skype_name: Option<String>,
}

/// An access token: who it acts as and which scopes it carries.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TokenGrant {
    /// The token, as sent after `bearer `.
    pub token: String,
    /// The user it authenticates.
    #[serde(rename = "UserID")]
    pub user_id: i64,
    /// The OAuth scopes it carries, e.g. `account_webcam_bookings`.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// Never prints the token itself.
impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("token", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// A group whose manager may act as its members on the `/v1/Groups/...` endpoints.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Group {
    /// The manager's user ID.
    #[serde(rename = "ManagerID")]
    pub manager_id: i64,
    /// The members' user IDs.
    #[serde(rename = "MemberIDs")]
    pub member_ids: Vec<i64>,
}

/// Why a data file could not be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not valid JSON of the documented shape; `path` is where, e.g. `Users[2].UserID`.
    Parse {
        /// Where in the document.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The data is well-formed but inconsistent (duplicate IDs, unknown users or scopes, ...).
    Invalid(String),
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Self::Parse { path, message } => write!(f, "invalid sandbox data at {path}: {message}"),
            Self::Invalid(message) => write!(f, "invalid sandbox data: {message}"),
        }
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl SandboxData {
    /// Reads and checks a data file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, DataError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Parses and checks data from JSON text.
    pub fn from_json(text: &str) -> Result<Self, DataError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let data: Self = serde_path_to_error::deserialize(de).map_err(|e| DataError::Parse {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
        data.check()?;
        Ok(data)
    }

    /// The user with this ID.
    pub fn user(&self, user_id: i64) -> Option<&User> {
        self.users.iter().find(|u| u.user_id == user_id)
    }

    /// The group `manager_id` manages, if any.
    pub fn group_of(&self, manager_id: i64) -> Option<&Group> {
        self.groups.iter().find(|g| g.manager_id == manager_id)
    }

    fn check(&self) -> Result<(), DataError> {
        let invalid = |m: String| Err(DataError::Invalid(m));
        let mut ids = HashSet::new();
        for user in &self.users {
            // The rule every request's IDs follow, so each user can be named in one.
            if let Err(v) = adultwork::validate::id("UserID", user.user_id) {
                return invalid(v.to_string());
            }
            if !ids.insert(user.user_id) {
                return invalid(format!("UserID {} appears twice", user.user_id));
            }
            if user.credit_balance.amount().is_sign_negative() {
                return invalid(format!(
                    "user {}: CreditBalance must not be negative",
                    user.user_id
                ));
            }
            let unknown_software = user
                .webcam
                .iter()
                .flat_map(|w| &w.software)
                .find(|s| !s.is_known());
            if let Some(bad) = unknown_software {
                return invalid(format!(
                    "user {}: unknown Webcam.Software {bad}",
                    user.user_id
                ));
            }
            if let Some(phone) = &user.phone_chat {
                if let Some(bad) = phone.methods.iter().find(|m| !m.is_known()) {
                    return invalid(format!(
                        "user {}: unknown PhoneChat.Methods {bad}",
                        user.user_id
                    ));
                }
                if phone
                    .price_per_minute
                    .is_some_and(|p| p.amount().is_sign_negative())
                {
                    return invalid(format!(
                        "user {}: PricePerMinute must not be negative",
                        user.user_id
                    ));
                }
            }
        }
        let known = |id: &i64| ids.contains(id);
        let mut tokens = HashSet::new();
        for grant in &self.tokens {
            if grant.token.is_empty() || !grant.token.bytes().all(|b| b.is_ascii_graphic()) {
                return invalid(format!(
                    "token of user {} must be non-empty visible ASCII",
                    grant.user_id
                ));
            }
            if !tokens.insert(grant.token.as_str()) {
                return invalid(format!("a token of user {} appears twice", grant.user_id));
            }
            if !known(&grant.user_id) {
                return invalid(format!("a token names unknown UserID {}", grant.user_id));
            }
            if let Some(scope) = grant
                .scopes
                .iter()
                .find(|s| !adultwork::Operation::is_scope(s))
            {
                return invalid(format!(
                    "token of user {}: unknown scope {scope:?}",
                    grant.user_id
                ));
            }
        }
        let mut managers = HashSet::new();
        for group in &self.groups {
            if !known(&group.manager_id) {
                return invalid(format!("group manager {} is not a user", group.manager_id));
            }
            if !managers.insert(group.manager_id) {
                return invalid(format!("user {} manages two groups", group.manager_id));
            }
            if let Some(id) = group.member_ids.iter().find(|id| !known(id)) {
                return invalid(format!(
                    "group of {} lists unknown member {id}",
                    group.manager_id
                ));
            }
        }
        Ok(())
    }
}

/// The embedded default data (`data/default.json`).
impl Default for SandboxData {
    fn default() -> Self {
        Self::from_json(DEFAULT_DATA_JSON).expect("the embedded default data is valid")
    }
}

/// A list of enum values written as names (`"skype"`) or wire codes (`3`).
fn names_or_codes<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NameOrCode {
        Code(i64),
        Name(String),
    }
    Vec::<NameOrCode>::deserialize(d)?
        .into_iter()
        .map(|v| match v {
            NameOrCode::Code(n) => n.to_string().parse(),
            NameOrCode::Name(s) => s.parse(),
        })
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_sets_up_the_docs_users() {
        let data = SandboxData::default();
        let jb = data.user(123456).unwrap();
        assert_eq!(jb.nickname, "JosepheneBlogs");
        assert_eq!(jb.webcam.as_ref().unwrap().software.len(), 3);
        assert_eq!(jb.phone_chat.as_ref().unwrap().methods.len(), 3);
        assert!(data.user(123457).unwrap().phone_chat.is_none());
        assert!(
            !data
                .user(123458)
                .unwrap()
                .webcam
                .as_ref()
                .unwrap()
                .software
                .contains(&SoftwareType::Skype)
        );
        assert_eq!(data.group_of(100002).unwrap().member_ids, [100001, 100003]);
    }

    #[test]
    fn errors_name_the_place_and_the_problem() {
        let err =
            SandboxData::from_json(r#"{"Users":[{"UserID":"x","Nickname":"A"}]}"#).unwrap_err();
        assert!(err.to_string().contains("Users[0].UserID"), "{err}");
        let err = SandboxData::from_json(
            r#"{"Users":[{"UserID":1,"Nickname":"A"},{"UserID":1,"Nickname":"B"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
        // The same rule as every request's IDs (validate::id), so each user can be booked.
        let err = SandboxData::from_json(r#"{"Users":[{"UserID":0,"Nickname":"A"}]}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("UserID must be a positive ID (got 0)"),
            "{err}"
        );
        let err = SandboxData::from_json(
            r#"{"Users":[{"UserID":1,"Nickname":"A"}],"Tokens":[{"Token":"t","UserID":1,"Scopes":["nope"]}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown scope"), "{err}");
        let err = SandboxData::from_json(
            r#"{"Users":[{"UserID":1,"Nickname":"A","Webcam":{"Software":["icq"]}}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("Software"), "{err}");
        let err = SandboxData::from_file("/nonexistent/sandbox.json").unwrap_err();
        assert!(matches!(err, DataError::Io { .. }));
    }
}
