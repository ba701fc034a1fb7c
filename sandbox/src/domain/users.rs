//! Users as the operations see them: who a token authenticates, who a group manager may act
//! as, and the users of the data file the operations look up.

use super::auth::{self, AuthError};
use super::data::User;
use super::refusal::Refusal;
use super::state::SandboxState;

impl SandboxState {
    pub(super) fn user(&self, id: i64) -> Result<&User, Refusal> {
        self.data()
            .user(id)
            .ok_or_else(|| Refusal::Forbidden(format!("user {id} does not exist")))
    }

    /// The user ID an `Authorization` header value authenticates for `operation`
    /// (an `operationId` of the spec).
    pub fn authorize(
        &self,
        header: Option<&str>,
        operation: adultwork::Operation,
    ) -> Result<i64, AuthError> {
        auth::authorize(&self.data().tokens, header, operation).map(|g| g.user_id)
    }

    /// Lets group manager `manager_id` act as `member_id`: refused unless they manage a group
    /// and `member_id` is in it.
    pub fn act_as_member(&self, manager_id: i64, member_id: i64) -> Result<(), Refusal> {
        let group = self.data().group_of(manager_id).ok_or_else(|| {
            Refusal::Forbidden("Only a group manager may use the Groups endpoints.".into())
        })?;
        if !group.member_ids.contains(&member_id) {
            return Err(Refusal::Forbidden(format!(
                "UserID {member_id} is not a member of your group."
            )));
        }
        Ok(())
    }
}
