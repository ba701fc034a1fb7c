//! The shared store: the data, the clock, every booking behind one lock, the limit on how
//! many it holds, and the plan of what performers do by themselves. The one place a booking's
//! status changes ([`SandboxState::webcam_apply`], [`SandboxState::phone_chat_apply`], each
//! through [`Lifecycle::apply`](super::lifecycle::Lifecycle::apply) with the acting party), and
//! the reads across every kind of booking (the page's, the tests' snapshot).
//!
//! Each resource's operations are methods of [`SandboxState`] in their own module
//! ([`webcam`](super::webcam), [`phone_chat`](super::phone_chat), [`users`](super::users)),
//! which import this one; this one imports none of them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use adultwork::types::{PhoneChatBooking, WebcamBooking};
use chrono::NaiveDateTime;

use super::behaviour::Behaviour;
use super::booking::{PhoneChatRecord, WebcamRecord};
use super::clock::Clock;
use super::data::SandboxData;
use super::lifecycle::{Party, Transition};
use super::limits::DEFAULT_MAX_BOOKINGS;
use super::phone_chat_store::PhoneChatExtra;
use super::refusal::Refusal;

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

/// Every booking, and what performers will do by themselves.
#[derive(Debug, Default)]
pub(super) struct Books {
    pub webcam: BTreeMap<i64, WebcamRecord>,
    pub phone_chat: BTreeMap<i64, PhoneChatRecord>,
    pub last_webcam_id: i64,
    pub last_phone_chat_id: i64,
    /// Phone chat's deletions and settings.
    pub phone_chat_extra: PhoneChatExtra,
    /// What performers with a [`Behaviour`] will do, by when it falls due
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

/// Which booking a planned action is for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
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
    /// [`DEFAULT_MAX_BOOKINGS`]).
    pub fn max_bookings(&self) -> usize {
        self.shared.max_bookings.load(Ordering::Relaxed)
    }

    /// Changes [`max_bookings`](Self::max_bookings). Bookings already held are kept; a
    /// request that would go beyond the limit is refused (507) and changes nothing.
    pub fn set_max_bookings(&self, max: usize) {
        self.shared.max_bookings.store(max, Ordering::Relaxed);
    }

    /// Refuses to add `more` bookings to `books` beyond the limit.
    pub(super) fn room_for(&self, books: &Books, more: usize) -> Result<(), Refusal> {
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
    pub(super) fn books_at(&self, now: NaiveDateTime) -> MutexGuard<'_, Books> {
        let mut books = self.books();
        while let Some(entry) = books.due.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let ((at, _), planned) = entry.remove_entry();
            // A booking cancelled, expired or answered through a control endpoint meanwhile
            // refuses the action, which then does not happen.
            let (t, by) = (&planned.transition, Party::Performer);
            let _ = match planned.booking {
                Kind::Webcam(id) => self.webcam_apply(&mut books, id, t, by, at).map(drop),
                Kind::PhoneChat(id) => self.phone_chat_apply(&mut books, id, t, by, at).map(drop),
            };
        }
        books
    }

    /// Plans what `performer_id` does by themselves with `booking`, made at `created`.
    pub(super) fn plan_first(
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

    fn behaviour(&self, performer_id: i64) -> Option<&Behaviour> {
        self.data().user(performer_id)?.behaviour.as_ref()
    }

    /// Applies `t`, made by `by`, to webcam booking `booking_id` at `now`, cancelling the
    /// other invitees' Pending bookings on an accept.
    pub(super) fn webcam_apply(
        &self,
        books: &mut Books,
        booking_id: i64,
        t: &Transition,
        by: Party,
        now: NaiveDateTime,
    ) -> Result<WebcamBooking, Refusal> {
        let record = books
            .webcam
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("Webcam", booking_id))?;
        record
            .life
            .apply(t, by, now, &format!("Webcam booking {booking_id}"))?;
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

    /// Applies `t`, made by `by`, to phone-chat booking `booking_id` at `now`.
    pub(super) fn phone_chat_apply(
        &self,
        books: &mut Books,
        booking_id: i64,
        t: &Transition,
        by: Party,
        now: NaiveDateTime,
    ) -> Result<PhoneChatBooking, Refusal> {
        let record = books
            .phone_chat
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("PhoneChat", booking_id))?;
        record
            .life
            .apply(t, by, now, &format!("PhoneChat booking {booking_id}"))?;
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

    pub(super) fn render_webcam(&self, r: &WebcamRecord) -> WebcamBooking {
        r.render(
            self.data()
                .user(r.performer_id)
                .expect("performers come from the data"),
        )
    }

    pub(super) fn render_phone_chat(&self, r: &PhoneChatRecord) -> PhoneChatBooking {
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

pub(super) fn not_found(kind: &str, booking_id: i64) -> Refusal {
    Refusal::NotFound(format!("{kind} booking {booking_id} was not found."))
}
