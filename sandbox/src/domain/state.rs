//! The sandbox's state: its data, its clock and every booking, behind one lock, with one
//! method per operation. Nothing here knows about HTTP.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use adultwork::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
    PhoneChatBooking, RescheduleWebcamBookingRequest, WebcamBooking, WebcamBookingResult,
};
use adultwork::{PhoneChatMethod, WebcamBookingOutcome, validate};
use chrono::{Datelike, NaiveDateTime};

use super::auth::{self, AuthError};
use super::booking::{Lifecycle, PhoneChatRecord, Transition, WebcamRecord};
use super::clock::Clock;
use super::data::{SandboxData, User};
use super::limits::DEFAULT_MAX_BOOKINGS;
use super::refusal::Refusal;
use super::rules;

/// A running sandbox's state. Cheap to clone; clones share everything.
///
/// Each operation takes the authenticated user's ID, checks the SDK's validation rules and
/// the server-side prerequisites, and then changes the bookings under one lock, so concurrent
/// calls are serialised and a refused call changes nothing.
///
/// ```
/// use adultwork_sandbox::{Clock, SandboxData, SandboxState, Transition};
/// use chrono::NaiveDate;
///
/// let now = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().and_hms_opt(11, 0, 0).unwrap();
/// let state = SandboxState::new(SandboxData::default(), Clock::fixed(now));
/// let req = serde_json::from_value(serde_json::json!({
///     "BookUserIDs": "123456", "SessionDate": "2018-02-01 12:00", "Duration": 10,
///     "Credits": 10, "SoftwareTypeID": 3, "SignInNameOrEmail": "me"
/// })).unwrap();
/// let results = state.create_webcam_booking(100001, &req).unwrap();
/// assert_eq!(results[0].booking_id, Some(1));
/// let accepted = state.webcam_transition(1, &Transition::Accept).unwrap();
/// assert_eq!(accepted.status.as_str(), "Accepted");
/// ```
#[derive(Clone)]
pub struct SandboxState {
    shared: Arc<Shared>,
}

struct Shared {
    data: SandboxData,
    clock: Clock,
    books: Mutex<Books>,
    max_bookings: AtomicUsize,
}

#[derive(Debug, Default)]
struct Books {
    webcam: BTreeMap<i64, WebcamRecord>,
    phone_chat: BTreeMap<i64, PhoneChatRecord>,
    last_webcam_id: i64,
    last_phone_chat_id: i64,
    /// What performers with a [`Behaviour`](crate::Behaviour) will do, by when it falls due
    /// (then by the order it was planned in).
    due: BTreeMap<(NaiveDateTime, u64), Planned>,
    planned: u64,
}

/// A performer's own action on one booking.
#[derive(Debug)]
struct Planned {
    booking: Kind,
    transition: Transition,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Webcam(i64),
    PhoneChat(i64),
}

/// Every booking, as its client sees it, at one moment; for tests that check a refused
/// request changed nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Webcam bookings by ID.
    pub webcam: Vec<WebcamBooking>,
    /// Phone-chat bookings by ID.
    pub phone_chat: Vec<PhoneChatBooking>,
}

/// The latest bookings and how many there are; made by [`SandboxState::latest`].
#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    /// The latest webcam bookings, newest first.
    pub webcam: Vec<WebcamBooking>,
    /// The latest phone-chat bookings, newest first.
    pub phone_chat: Vec<PhoneChatBooking>,
    /// How many webcam bookings the sandbox holds.
    pub webcam_total: usize,
    /// How many phone-chat bookings the sandbox holds.
    pub phone_chat_total: usize,
}

impl std::fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let books = self.books();
        f.debug_struct("SandboxState")
            .field("clock", &self.shared.clock)
            .field("webcam_bookings", &books.webcam.len())
            .field("phone_chat_bookings", &books.phone_chat.len())
            .finish_non_exhaustive()
    }
}

impl SandboxState {
    /// A state with no bookings.
    pub fn new(data: SandboxData, clock: Clock) -> Self {
        Self {
            shared: Arc::new(Shared {
                data,
                clock,
                books: Mutex::new(Books::default()),
                max_bookings: AtomicUsize::new(DEFAULT_MAX_BOOKINGS),
            }),
        }
    }

    /// The seed data.
    pub fn data(&self) -> &SandboxData {
        &self.shared.data
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The most bookings (webcam and phone-chat together) this state holds (default
    /// [`DEFAULT_MAX_BOOKINGS`](crate::DEFAULT_MAX_BOOKINGS)).
    pub fn max_bookings(&self) -> usize {
        self.shared.max_bookings.load(Ordering::Relaxed)
    }

    /// Changes [`max_bookings`](Self::max_bookings). Bookings already held are kept; a
    /// request that would go beyond the limit is refused (507) and changes nothing.
    pub fn set_max_bookings(&self, max: usize) {
        self.shared.max_bookings.store(max, Ordering::Relaxed);
    }

    /// Refuses to add `more` bookings to `books` beyond the limit.
    fn room_for(&self, books: &Books, more: usize) -> Result<(), Refusal> {
        let held = books.webcam.len() + books.phone_chat.len();
        let max = self.max_bookings();
        if held.saturating_add(more) > max {
            return Err(Refusal::Full(format!(
                "The sandbox holds at most {max} bookings (a limit of the sandbox, not of the \
                 API) and holds {held}; POST /_sandbox/reset to start again."
            )));
        }
        Ok(())
    }

    fn books(&self) -> MutexGuard<'_, Books> {
        // A panic while holding the lock cannot leave a booking half-changed (every change
        // is checked before it is made), so a poisoned lock is still consistent.
        self.shared
            .books
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The bookings at `now`: every performer's own action that has fallen due by then is
    /// applied first, dated when it fell due.
    fn books_at(&self, now: NaiveDateTime) -> MutexGuard<'_, Books> {
        let mut books = self.books();
        while let Some(entry) = books.due.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((at, _), planned) = entry.remove_entry();
            // A booking cancelled, expired or answered through a control endpoint meanwhile
            // refuses the action, which then does not happen.
            let _ = match planned.booking {
                Kind::Webcam(id) => self
                    .webcam_apply(&mut books, id, &planned.transition, at)
                    .map(drop),
                Kind::PhoneChat(id) => self
                    .phone_chat_apply(&mut books, id, &planned.transition, at)
                    .map(drop),
            };
        }
        books
    }

    /// Plans what `performer_id` does by themselves with `booking`, made at `created`.
    fn plan_first(
        &self,
        books: &mut Books,
        booking: Kind,
        performer_id: i64,
        created: NaiveDateTime,
    ) {
        let first = self.behaviour(performer_id).and_then(|b| b.first(created));
        if let Some((at, transition)) = first {
            plan(books, at, booking, transition);
        }
    }

    fn behaviour(&self, performer_id: i64) -> Option<&super::behaviour::Behaviour> {
        self.data().user(performer_id)?.behaviour.as_ref()
    }

    fn user(&self, id: i64) -> Result<&User, Refusal> {
        self.shared
            .data
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
        auth::authorize(&self.shared.data.tokens, header, operation).map(|g| g.user_id)
    }

    /// Lets group manager `manager_id` act as `member_id`: refused unless they manage a group
    /// and `member_id` is in it.
    pub fn act_as_member(&self, manager_id: i64, member_id: i64) -> Result<(), Refusal> {
        let group = self.shared.data.group_of(manager_id).ok_or_else(|| {
            Refusal::Forbidden("Only a group manager may use the Groups endpoints.".into())
        })?;
        if !group.member_ids.contains(&member_id) {
            return Err(Refusal::Forbidden(format!(
                "UserID {member_id} is not a member of your group."
            )));
        }
        Ok(())
    }

    /// `POST /v1/Webcam/CreateBooking` for client `client_id`: one result per invited user.
    pub fn create_webcam_booking(
        &self,
        client_id: i64,
        req: &CreateWebcamBookingRequest,
    ) -> Result<Vec<WebcamBookingResult>, Refusal> {
        let now = self.clock().now();
        validate::webcam_booking(req, now)?;
        let duration = validate::webcam_minutes(req.duration)?;
        let client = self.user(client_id)?;
        let invitations = rules::invitations(self.data(), client_id, req)?;
        rules::sms_on_accept(client, req.send_sms_on_accept == Some(true))?;
        // No credit-balance check: the docs require sufficient credits for phone chat only.

        let session = req.session_date.naive();
        let accept_by = rules::webcam_accept_by(session, now);
        let sign_in: Arc<str> = Arc::from(req.sign_in_name_or_email.to_string());
        let phone_number: Option<Arc<str>> =
            req.phone_number.as_ref().map(|p| Arc::from(p.to_string()));
        let booked = invitations
            .iter()
            .filter(|i| i.outcome != WebcamBookingOutcome::SoftwareNotUsed)
            .count();
        let mut books = self.books_at(now);
        self.room_for(&books, booked)?;
        let first = books.last_webcam_id + 1;
        let ids: Vec<i64> = (first..first + booked as i64).collect();
        books.last_webcam_id += booked as i64;
        let mut next = ids.iter();
        let mut results = Vec::with_capacity(invitations.len());
        for inv in invitations {
            let booking_id = if inv.outcome == WebcamBookingOutcome::SoftwareNotUsed {
                None
            } else {
                let id = *next.next().expect("one ID per booked invitation");
                let record = WebcamRecord {
                    id,
                    client_id,
                    performer_id: inv.user.user_id,
                    siblings: ids.iter().copied().filter(|s| *s != id).collect(),
                    duration,
                    credits: req.credits,
                    software: req.software_type_id,
                    sign_in: sign_in.clone(),
                    also_phone_chat: inv.also_phone_chat,
                    phone_number: phone_number.clone(),
                    send_sms_on_accept: req.send_sms_on_accept == Some(true),
                    is_multiple: booked > 1,
                    session,
                    life: Lifecycle::new(now, accept_by),
                };
                books.webcam.insert(id, record);
                self.plan_first(&mut books, Kind::Webcam(id), inv.user.user_id, now);
                Some(id)
            };
            results.push(WebcamBookingResult {
                user_id: inv.user.user_id,
                booking_id,
                also_phone_chat: inv.also_phone_chat,
                status: inv.outcome,
                status_description: inv.description,
            });
        }
        Ok(results)
    }

    /// `GET /v1/Webcam/MadeBookingDetails`: booking `booking_id` as client `user_id` sees it.
    pub fn webcam_booking(&self, user_id: i64, booking_id: i64) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = own_webcam(&mut books, user_id, booking_id)?;
        record.life.expire(now);
        Ok(self.render_webcam(record))
    }

    /// `POST /v1/Webcam/CancelMadeBooking` for client `client_id`.
    pub fn cancel_webcam_booking(
        &self,
        client_id: i64,
        req: &CancelWebcamBookingRequest,
    ) -> Result<WebcamBooking, Refusal> {
        validate::cancel(req)?;
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let record = own_webcam(
            &mut books,
            client_id,
            validate::wire_id("BookingID", req.booking_id)?,
        )?;
        record.life.expire(now);
        rules::cancellable(&record.life.status, record.session, now)?;
        record.life.cancel(
            now,
            Some(client.nickname.clone()),
            req.reason.trim().to_string(),
        );
        Ok(self.render_webcam(record))
    }

    /// `POST /v1/Webcam/RescheduleMadeBooking` for client `client_id`: a new booking with the
    /// old one's settings and performer, its session five minutes from now. The old booking
    /// is left as it is.
    pub fn reschedule_webcam_booking(
        &self,
        client_id: i64,
        req: &RescheduleWebcamBookingRequest,
    ) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let booking_id = validate::wire_id("BookingID", req.booking_id)?;
        let old = own_webcam(&mut books, client_id, booking_id)?;
        old.life.expire(now);
        rules::performer_available(self.data().user(old.performer_id), old.software)?;
        rules::sms_on_accept(client, old.send_sms_on_accept)?;
        let session = now + rules::RESCHEDULE_LEAD;
        if session.year() > 9999 {
            return Err(Refusal::invalid(
                "SessionDate",
                "would be after year 9999 (five minutes from the sandbox's clock), which the API cannot write",
            ));
        }
        self.room_for(&books, 1)?;
        let new_id = books.last_webcam_id + 1;
        let old = &books.webcam[&booking_id];
        let record = WebcamRecord {
            id: new_id,
            siblings: Vec::new(),
            is_multiple: false,
            session,
            life: Lifecycle::new(now, rules::webcam_accept_by(session, now)),
            ..old.clone()
        };
        let booking = self.render_webcam(&record);
        let performer_id = record.performer_id;
        books.last_webcam_id = new_id;
        books.webcam.insert(new_id, record);
        self.plan_first(&mut books, Kind::Webcam(new_id), performer_id, now);
        Ok(booking)
    }

    /// `POST /v1/PhoneChat/CreateBooking` for client `client_id`.
    pub fn create_phone_chat_booking(
        &self,
        client_id: i64,
        req: &CreatePhoneChatBookingRequest,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        validate::phone_chat_booking(req, now)?;
        let client = self.user(client_id)?;
        let candidate = rules::phone_chat_candidate(self.data(), client_id, req)?;
        rules::client_can_pay(client, req.credits)?;
        let mut books = self.books_at(now);
        self.room_for(&books, 1)?;
        let id = books.last_phone_chat_id + 1;
        let record = PhoneChatRecord {
            id,
            client_id,
            candidate_id: candidate.user_id,
            duration: req.duration,
            credits: req.credits,
            method: req.method,
            phone_number: (req.method == PhoneChatMethod::CallMe)
                .then(|| req.phone_number.as_ref().map(|p| p.to_string()))
                .flatten(),
            skype_name: (req.method == PhoneChatMethod::Skype)
                .then(|| req.skype_name.as_ref().map(|s| s.to_string()))
                .flatten(),
            comments: req.comments.clone(),
            session: req.session_date.naive(),
            life: Lifecycle::new(now, req.accept_by.naive()),
        };
        let booking = record.render(candidate);
        books.last_phone_chat_id = id;
        books.phone_chat.insert(id, record);
        self.plan_first(&mut books, Kind::PhoneChat(id), candidate.user_id, now);
        Ok(booking)
    }

    /// The performer answers webcam booking `booking_id` (control endpoints). When one
    /// invitee accepts, the other invitees' Pending bookings are cancelled: under the lock,
    /// exactly one of several simultaneous accepts wins.
    pub fn webcam_transition(
        &self,
        booking_id: i64,
        t: &Transition,
    ) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        self.webcam_apply(&mut books, booking_id, t, now)
    }

    /// The candidate answers phone-chat booking `booking_id` (control endpoints).
    pub fn phone_chat_transition(
        &self,
        booking_id: i64,
        t: &Transition,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        self.phone_chat_apply(&mut books, booking_id, t, now)
    }

    /// Applies `t` to webcam booking `booking_id` at `now`, cancelling the other invitees'
    /// Pending bookings on an accept.
    fn webcam_apply(
        &self,
        books: &mut Books,
        booking_id: i64,
        t: &Transition,
        now: NaiveDateTime,
    ) -> Result<WebcamBooking, Refusal> {
        let record = books
            .webcam
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("Webcam", booking_id))?;
        record
            .life
            .apply(t, now, &format!("Webcam booking {booking_id}"))?;
        let booking = self.render_webcam(record);
        if *t == Transition::Accept {
            let (performer_id, siblings) = (record.performer_id, record.siblings.clone());
            let winner = &booking.performer.nickname;
            for sibling in siblings {
                if let Some(other) = books.webcam.get_mut(&sibling) {
                    other.life.expire(now);
                    if other.life.status == adultwork::BookingStatus::Pending {
                        other.life.cancel(
                            now,
                            None,
                            format!("Another invited user ({winner}) accepted the booking first."),
                        );
                    }
                }
            }
            self.plan_after_accepting(books, Kind::Webcam(booking_id), performer_id, now);
        }
        Ok(booking)
    }

    /// Applies `t` to phone-chat booking `booking_id` at `now`.
    fn phone_chat_apply(
        &self,
        books: &mut Books,
        booking_id: i64,
        t: &Transition,
        now: NaiveDateTime,
    ) -> Result<PhoneChatBooking, Refusal> {
        let record = books
            .phone_chat
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("PhoneChat", booking_id))?;
        record
            .life
            .apply(t, now, &format!("PhoneChat booking {booking_id}"))?;
        let (booking, candidate_id) = (self.render_phone_chat(record), record.candidate_id);
        if *t == Transition::Accept {
            self.plan_after_accepting(books, Kind::PhoneChat(booking_id), candidate_id, now);
        }
        Ok(booking)
    }

    /// Plans what `performer_id` does by themselves once they accepted `booking` at `at`.
    fn plan_after_accepting(
        &self,
        books: &mut Books,
        booking: Kind,
        performer_id: i64,
        at: NaiveDateTime,
    ) {
        let next = self
            .behaviour(performer_id)
            .and_then(|b| b.after_accepting(at));
        if let Some((at, transition)) = next {
            plan(books, at, booking, transition);
        }
    }

    /// Webcam booking `booking_id` whoever made it (control endpoints).
    pub fn any_webcam_booking(&self, booking_id: i64) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = books
            .webcam
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("Webcam", booking_id))?;
        record.life.expire(now);
        Ok(self.render_webcam(record))
    }

    /// Phone-chat booking `booking_id` whoever made it (control endpoints; the API has no
    /// read operation for phone chat).
    pub fn any_phone_chat_booking(&self, booking_id: i64) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = books
            .phone_chat
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("PhoneChat", booking_id))?;
        record.life.expire(now);
        Ok(self.render_phone_chat(record))
    }

    /// The latest `limit` bookings of each kind, newest first, as they are now (expiry and
    /// performers' own actions applied), and how many of each the sandbox holds: one
    /// consistent view, under one lock, for the page at `/_sandbox/`.
    pub fn latest(&self, limit: usize) -> Latest {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let books = &mut *books;
        let webcam = books
            .webcam
            .values_mut()
            .rev()
            .take(limit)
            .map(|r| {
                r.life.expire(now);
                self.render_webcam(r)
            })
            .collect();
        let phone_chat = books
            .phone_chat
            .values_mut()
            .rev()
            .take(limit)
            .map(|r| {
                r.life.expire(now);
                self.render_phone_chat(r)
            })
            .collect();
        Latest {
            webcam,
            phone_chat,
            webcam_total: books.webcam.len(),
            phone_chat_total: books.phone_chat.len(),
        }
    }

    /// Every booking as stored (no expiry and no performer's own action is applied), for
    /// comparisons in tests.
    pub fn snapshot(&self) -> Snapshot {
        let books = self.books();
        Snapshot {
            webcam: books
                .webcam
                .values()
                .map(|r| self.render_webcam(r))
                .collect(),
            phone_chat: books
                .phone_chat
                .values()
                .map(|r| self.render_phone_chat(r))
                .collect(),
        }
    }

    /// Forgets every booking (IDs start at 1 again) and resets the clock.
    pub fn reset(&self) {
        *self.books() = Books::default();
        self.clock().reset();
    }

    fn render_webcam(&self, r: &WebcamRecord) -> WebcamBooking {
        r.render(
            self.data()
                .user(r.performer_id)
                .expect("performers come from the data"),
        )
    }

    fn render_phone_chat(&self, r: &PhoneChatRecord) -> PhoneChatBooking {
        r.render(
            self.data()
                .user(r.candidate_id)
                .expect("candidates come from the data"),
        )
    }
}

/// Adds a performer's own action to the plan.
fn plan(books: &mut Books, at: NaiveDateTime, booking: Kind, transition: Transition) {
    books.planned += 1;
    let order = books.planned;
    books.due.insert(
        (at, order),
        Planned {
            booking,
            transition,
        },
    );
}

fn not_found(kind: &str, booking_id: i64) -> Refusal {
    Refusal::NotFound(format!("{kind} booking {booking_id} was not found."))
}

/// Webcam booking `booking_id` if `user_id` made it: someone else's booking is "not found"
/// too, so IDs do not leak.
fn own_webcam(
    books: &mut Books,
    user_id: i64,
    booking_id: i64,
) -> Result<&mut WebcamRecord, Refusal> {
    books
        .webcam
        .get_mut(&booking_id)
        .filter(|r| r.client_id == user_id)
        .ok_or_else(|| not_found("Webcam", booking_id))
}
