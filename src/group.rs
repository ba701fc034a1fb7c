//! Group-manager impersonation: the `/v1/Groups/...` variants of operations, with `UserID`.

use crate::types::WebcamBooking;
use crate::{Client, Error, WebcamWait};

/// A group manager acting as one member of their group; made by
/// [`Client::as_group_member`]. Offers exactly the operations that have a group endpoint.
///
/// ```no_run
/// # async fn run(client: adultwork::Client) -> Result<(), adultwork::Error> {
/// let booking = client.as_group_member(123456).webcam_booking(1).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct GroupMember<'a> {
    client: &'a Client,
    user_id: i64,
}

impl<'a> GroupMember<'a> {
    pub(crate) fn new(client: &'a Client, user_id: i64) -> Self {
        Self { client, user_id }
    }

    /// The impersonated member.
    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    /// `GET /v1/Groups/Webcam/MadeBookingDetails?UserID=…&BookingID=…`: a webcam booking the
    /// member made, as the member sees it.
    pub async fn webcam_booking(&self, booking_id: i64) -> Result<WebcamBooking, Error> {
        self.client
            .group_webcam_booking(self.user_id, booking_id)
            .await
    }

    /// A waiter that polls webcam booking `booking_id` through the group endpoint, as the
    /// member sees it; see [`WebcamWait`].
    ///
    /// ```no_run
    /// # async fn run(client: adultwork::Client) -> Result<(), adultwork::WaitError> {
    /// use std::time::Duration;
    /// use adultwork::WaitTarget;
    ///
    /// let booking = client
    ///     .as_group_member(123456)
    ///     .wait_for_webcam_booking(1)
    ///     .until(WaitTarget::Settled)
    ///     .wait(Duration::from_secs(300))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn wait_for_webcam_booking(&self, booking_id: i64) -> WebcamWait<'a> {
        WebcamWait::new(self.client, Some(self.user_id), vec![booking_id])
    }
}
